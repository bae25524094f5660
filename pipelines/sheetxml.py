"""What calamine does not say about a sheet, read from the xlsx zip with the standard library.

- Merged ranges: Excel shows the value of the first cell over the whole range, calamine gives it
  only in that first cell.
- Formulas without a saved value: a file written by a program that does not calculate (openpyxl,
  a script) holds the formula only, which calamine reads as an empty cell. Its text
  ('=SUM(B2:B4)') is handed over instead, and parsing rejects it.
- Numbers that Excel shows as a percentage: calamine gives 0.13 for a cell showing 13 %, which
  would read as an ambiguous share; '13 %' is handed over instead.

The sheet is scanned in pieces of whole rows, so a large sheet is never held in memory at once.
"""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from pipelines.normalise import THREE_DECIMALS

PIECE = 1 << 20
BUILTIN_PERCENT = frozenset({9, 10})
BUILTIN_IN_STYLES = re.compile(rb'numFmtId="(?:9|10)"')
REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
TYPE = re.compile(rb'\bt="(\w+)"')
STYLE = re.compile(rb'\bs="([0-9]+)"')
RANGE = re.compile(r"^([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?$")
QUOTED = re.compile(r'"[^"]*"|\\.')

Cell = tuple[int, int]
"""(row, column), both counted from 0 as in Excel's A1 = (0, 0)."""


@dataclass
class SheetCells:
    """A sheet's merged ranges and the texts to show for cells calamine reads otherwise."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(first row, first column, last row, last column) of every merged range."""
    texts: dict[Cell, str] = field(default_factory=dict)
    """Formula text of a formula without a value; '13 %' for a number shown as a percentage."""


def column_index(letters: str) -> int:
    """Return the index of an Excel column ('A' is 0, 'AA' is 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letters(index: int) -> str:
    """Return the Excel letters of a column index (0 is 'A')."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relations(book: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """Return the (id, type, zip part) of every relationship of a part."""
    folder, name = posixpath.split(part)
    try:
        rels = ElementTree.fromstring(book.read(posixpath.join(folder, "_rels", name + ".rels")))
    except KeyError:
        return []
    out = []
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out.append((rel.get("Id", ""), rel.get("Type", ""), path))
    return out


def workbook_part(book: zipfile.ZipFile) -> str:
    """Return the zip part of the workbook (xl/workbook.xml as Excel writes it)."""
    if "xl/workbook.xml" in book.NameToInfo:
        return "xl/workbook.xml"
    return next((path for _, kind, path in _relations(book, "")
                 if kind.endswith("/officeDocument")), "xl/workbook.xml")


def sheet_parts(book: zipfile.ZipFile, workbook: str,
                relations: list[tuple[str, str, str]]) -> dict[str, str]:
    """Return the zip part of every sheet, by sheet name."""
    targets = {rid: path for rid, _, path in relations}
    parts: dict[str, str] = {}
    for sheet in ElementTree.fromstring(book.read(workbook)).iter():
        if _local(sheet.tag) == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
            parts[sheet.get("name", "")] = targets.get(rid or "", "")
    return parts


def percent_styles(book: zipfile.ZipFile, relations: list[tuple[str, str, str]]
                   ) -> frozenset[int]:
    """Return the cell styles (the `s` of a cell) whose number format is a percentage."""
    styles = next((path for _, kind, path in relations if kind.endswith("/styles")), None)
    if styles is None or styles not in book.NameToInfo:
        return frozenset()
    data = book.read(styles)
    if b"%" not in data and not BUILTIN_IN_STYLES.search(data):
        return frozenset()
    root = ElementTree.fromstring(data)
    formats = set(BUILTIN_PERCENT)
    for fmt in root.iter():
        if _local(fmt.tag) == "numFmt" and "%" in QUOTED.sub("", fmt.get("formatCode", "")):
            formats.add(int(fmt.get("numFmtId", "-1")))
    xfs = next((e for e in root if _local(e.tag) == "cellXfs"), None)
    if xfs is None:
        return frozenset()
    return frozenset(i for i, xf in enumerate(x for x in xfs if _local(x.tag) == "xf")
                     if int(xf.get("numFmtId", "0")) in formats)


def _pieces(book: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """Yield a sheet's XML in pieces that end after a whole row (the last piece: the rest)."""
    carry = b""
    with book.open(part) as handle:
        while chunk := handle.read(PIECE):
            data = carry + chunk
            cut = data.rfind(b"row>")
            while cut >= 0 and data.rfind(b"</", 0, cut) < data.rfind(b"<", 0, cut):
                cut = data.rfind(b"row>", 0, cut)
            if cut < 0:
                carry = data
                continue
            yield data[:cut + 4]
            carry = data[cut + 4:]
    if carry:
        yield carry


def _percent_text(value: bytes) -> str | None:
    try:
        number = Decimal(value.decode()) * 100
    except (InvalidOperation, UnicodeDecodeError):
        return None
    text = format(number.normalize(), "f")
    # '1.234' would read two ways; '1.2340' has the same value and reads one way.
    return (text + "0" if THREE_DECIMALS.match(text) else text) + " %"


class _Scanner:
    """Scan pieces of one sheet's XML; tags may carry a namespace prefix ('x:c')."""

    def __init__(self, prefix: bytes, percents: frozenset[int]) -> None:
        p = re.escape(prefix)
        self.cell_open, self.cell_close = b"<" + prefix + b"c ", b"</" + prefix + b"c>"
        self.formula = re.compile(rb"<" + p + rb"f\b([^>]*?)(/>|>([^<]*)</" + p + rb"f>)")
        self.value = re.compile(rb"<" + p + rb"v>([^<]*)</" + p + rb"v>")
        self.inline = b"<" + prefix + b"is"
        self.merge = re.compile(rb"<" + p + rb'mergeCell\s[^>]*\bref="([A-Z0-9:]+)"')
        # Literal searches first: a regex search over a large piece costs far more.
        self.formula_tags = [b"<" + prefix + b"f" + end for end in (b">", b" ", b"/>")]
        self.merge_tag = b"<" + prefix + b"mergeCell "
        styles = b"|".join(str(s).encode() for s in sorted(percents))
        self.styled = re.compile(rb"<" + p + rb'c\s[^>]*\bs="(?:' + styles + rb')"[^>]*>'
                                 ) if percents else None
        self.shared: dict[bytes, str] = {}

    def _cell(self, piece: bytes, at: int) -> tuple[bytes, bytes] | None:
        start = piece.rfind(self.cell_open, 0, at)
        end = piece.find(self.cell_close, at)
        if start < 0 or end < 0:
            return None
        tag_end = piece.index(b">", start)
        return piece[start:tag_end], piece[tag_end + 1:end]

    def formulas(self, piece: bytes, out: SheetCells) -> None:
        """Record the text of every formula cell without a saved value."""
        for found in self.formula.finditer(piece):
            attrs, text = found.group(1), (found.group(3) or b"").decode("utf-8", "replace")
            shared = re.search(rb'\bsi="([0-9]+)"', attrs)
            if shared and text:
                self.shared[shared.group(1)] = text
            elif shared:
                text = self.shared.get(shared.group(1), "")
            cell = self._cell(piece, found.start())
            ref = REF.search(cell[0]) if cell else None
            if cell is None or ref is None or self._has_value(*cell):
                continue
            at = (int(ref.group(2)) - 1, column_index(ref.group(1).decode()))
            out.texts[at] = "=" + unescape(text.strip(), {"&quot;": '"', "&apos;": "'"})

    def _has_value(self, attrs: bytes, body: bytes) -> bool:
        kind = TYPE.search(attrs)
        value = self.value.search(body)
        # Excel saves a formula giving '' as an empty value of type str: that is a value.
        return bool(value and (value.group(1) or (kind and kind.group(1) == b"str"))
                    ) or self.inline in body

    def percent_cells(self, piece: bytes, out: SheetCells) -> None:
        """Record '13 %' for every number cell that Excel formats as a percentage."""
        if self.styled is None:
            return
        for found in self.styled.finditer(piece):
            tag = found.group(0)
            kind, ref = TYPE.search(tag), REF.search(tag)
            if tag.endswith(b"/>") or ref is None or (kind and kind.group(1) != b"n"):
                continue
            end = piece.find(self.cell_close, found.end())
            value = self.value.search(piece, found.end(), end) if end >= 0 else None
            text = _percent_text(value.group(1)) if value else None
            at = (int(ref.group(2)) - 1, column_index(ref.group(1).decode()))
            if text is not None and at not in out.texts:
                out.texts[at] = text

    def merges(self, piece: bytes, out: SheetCells) -> None:
        """Record every merged range of more than one cell."""
        for found in self.merge.finditer(piece):
            ref = RANGE.match(found.group(1).decode())
            if ref and ref.group(3):
                a, b = sorted((int(ref.group(2)), int(ref.group(4))))
                c, d = sorted((column_index(ref.group(1)), column_index(ref.group(3))))
                out.merges.append((a - 1, c, b - 1, d))


def scan_sheet(book: zipfile.ZipFile, part: str, percents: frozenset[int]) -> SheetCells:
    """Return the merged ranges and replacement texts of one sheet part."""
    out = SheetCells()
    scanner: _Scanner | None = None
    for piece in _pieces(book, part):
        if scanner is None:
            found = re.search(rb"<(\w+:)?worksheet\b", piece)
            prefix = found.group(1) if found and found.group(1) else b""
            scanner = _Scanner(prefix, percents)
        if any(tag in piece for tag in scanner.formula_tags):
            scanner.formulas(piece, out)
        scanner.percent_cells(piece, out)
        if scanner.merge_tag in piece:
            scanner.merges(piece, out)
    return out


def read_sheet_cells(path: Path, names: list[str]) -> dict[str, SheetCells]:
    """Return what calamine does not say about the named sheets of an xlsx file."""
    with zipfile.ZipFile(path) as book:
        workbook = workbook_part(book)
        relations = _relations(book, workbook)
        parts = sheet_parts(book, workbook, relations)
        percents = percent_styles(book, relations)
        return {name: scan_sheet(book, parts[name], percents) for name in names
                if name in parts}
