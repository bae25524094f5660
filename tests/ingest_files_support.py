"""Files as people send them: questionnaires saved as xlsm, xls or ods, and a save date set."""

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import fastexcel

from pipelines.template import write_questionnaire

ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
    "</office:document-content>")
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>")


def questionnaire(path: Path, defs, member="T1", year=2018, workers=100) -> Path:
    """Write a filled-in textile questionnaire with one site and one material."""
    return write_questionnaire(
        path, defs, "textiel", year, member=(member, f"Company {member}"),
        answers={"msi_member": True, "dd_report_published": True, "market_share_pct": 10},
        sites=[{"site_id": "S1", "country": "BD", "workers": workers, "workers_over_60h": 5}],
        materials=[{"material": "cotton", "purchased_volume": 10, "certified_volume": 4}])


def sheets_of(xlsx: Path) -> dict[str, list[list[str | None]]]:
    """Return every sheet of a workbook as rows of text."""
    book = fastexcel.read_excel(str(xlsx))
    return {name: [list(r) for r in book.load_sheet(name, header_row=None, dtypes="string")
                   .to_polars().rows()] for name in book.sheet_names}


def as_xls(xlsx: Path, target: Path) -> Path:
    """Save a workbook's cells as an Excel 97-2003 (.xls) file."""
    import xlwt

    book = xlwt.Workbook()
    for name, rows in sheets_of(xlsx).items():
        sheet = book.add_sheet(name[:31])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.save(str(target))
    return target


def _ods_cell(value: str | None) -> str:
    if value is None:
        return "<table:table-cell/>"
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
            "</table:table-cell>")


def as_ods(xlsx: Path, target: Path, saved: str | None = None) -> Path:
    """Save a workbook's cells as an OpenDocument spreadsheet, with a save date if given."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">' + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows) + "</table:table>" for name, rows in sheets_of(xlsx).items())
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                      compress_type=zipfile.ZIP_STORED)
        book.writestr("content.xml", ODS_CONTENT.format(tables=tables))
        book.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        if saved:
            book.writestr("meta.xml", '<office:document-meta xmlns:office="urn:oasis:names:tc:'
                          'opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/'
                          f'1.1/"><office:meta><dc:date>{saved}</dc:date></office:meta>'
                          "</office:document-meta>")
    return target


def set_saved(path: Path, when: str) -> Path:
    """Rewrite the date an xlsx says it was last saved (dcterms:modified in docProps/core.xml)."""
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + when.encode() + rb"\g<2>",
        parts["docProps/core.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path
