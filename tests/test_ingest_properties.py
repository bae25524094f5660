"""Property tests on malformed files: never a crash, never a silent drop, always a clear message."""

import csv
import io
import string

import duckdb
import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imvo.definitions.models import FieldSpec, Text
from pipelines.columns import DECIMAL, parse_columns
from pipelines.ingest import ingest_file, load_members
from pipelines.messages import MESSAGES
from pipelines.normalise import Invalid, parse_cell
from pipelines.totals import LABEL
from tests.conftest import write_register
from warehouse.schema import create_schema

TYPES = ["integer", "number", "percent", "boolean", "country", "text"]
SITE_COLUMNS = ["site_id", "country", "workers", "workers_over_60h", "dialogue_structure",
                "audits", "audits_joint", "audits_public", "disclosed"]
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

numbers = st.from_regex(r"\A[-+]?[0-9]{1,4}([.,][0-9]{1,4}){0,2}( ?%)?\Z")
words = st.sampled_from(["ja", "Nee", "x", "yes", " J ", "✓", "BD", "Turkije", "#N/A", "#DIV/0!",
                         "1", "0", "0,35", "1e400", "12,5 %", "1.234", "", " ", "\u00a0"])
cells = st.one_of(numbers, words, st.text(max_size=8), st.integers(-10**17, 10**17).map(str),
                  st.floats(allow_nan=True).map(repr))


@given(st.lists(st.tuples(cells, st.sampled_from([",", ".", None])), min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_vectorised_parsing_equals_the_scalar_rules(rows):
    specs = [FieldSpec(id=t, table="sites", type=t, label=Text(nl=t, en=t)) for t in TYPES]
    frame = pl.DataFrame({**{t: [c for c, _ in rows] for t in TYPES},
                          DECIMAL: [d for _, d in rows]}, schema={c: pl.String for c in
                                                                 [*TYPES, DECIMAL]})
    values, rules = parse_columns(frame, specs)
    for spec in specs:
        for i, (text, decimal) in enumerate(rows):
            try:
                expected, rule = parse_cell(spec.type, text, decimal), None
            except Invalid as exc:
                expected, rule = None, exc.rule
            assert (values[spec.id][i], rules[spec.id][i]) == (expected, rule), (spec.type, text)


def warehouse(defs, tmp_path):
    conn = duckdb.connect()
    create_schema(conn, defs.catalogue)
    load_members(conn, write_register(tmp_path / "m.csv", [("textiel", "T1", "large",
                                                            "2016-01-01")]), defs)
    return conn


def assert_explained(conn, result, content_rows):
    """Assert the invariants: explained rejects, rows accounted for, no row dropped silently."""
    assert result.status in ("loaded", "rejected")
    for r in result.rejects:
        assert r.rule in MESSAGES and r.scope in ("file", "row", "answer", "notice")
        assert r.message_nl and r.message_en and "Traceback" not in r.message_en
        assert "{" not in r.message_en.replace(str(r.value), "")
    if result.status == "rejected":
        assert any(r.scope == "file" for r in result.rejects)
        assert conn.execute("SELECT count(*) FROM submissions").fetchall() == [(0,)]
        return
    quarantined = {(r.sheet, r.row) for r in result.rejects if r.scope == "row"}
    assert result.rows_in == result.rows_loaded + len(quarantined)
    loaded = {row for (row,) in conn.execute(
        "SELECT row_number FROM sites UNION ALL SELECT row_number FROM materials").fetchall()}
    assert len(loaded) == result.rows_loaded
    assert content_rows <= loaded | {row for _, row in quarantined}


def no_totals(text):
    return not LABEL.match(str(text))


row_cells = st.lists(cells.filter(no_totals), min_size=len(SITE_COLUMNS),
                     max_size=len(SITE_COLUMNS))
kinds = st.sampled_from(["locatie", "site", "grondstof", "material", "opmerking", ""])


@given(st.lists(st.tuples(kinds, row_cells), max_size=12), st.sampled_from([";", ","]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]), st.booleans())
@FAST
def test_malformed_csv_is_loaded_or_rejected_with_reasons(defs, tmp_path_factory, rows, sep,
                                                          encoding, bom_garbage):
    tmp_path = tmp_path_factory.mktemp("csv")
    conn = warehouse(defs, tmp_path)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(["record", "covenant", "year", "member_id", *SITE_COLUMNS, "material",
                     "purchased_volume"])
    writer.writerow(["bedrijf", "textiel", "2018", "T1", *[""] * (len(SITE_COLUMNS) + 2)])
    content = set()
    for n, (kind, values) in enumerate(rows, start=3):
        writer.writerow([kind, "", "", "", *values, values[0], values[2]])
        if kind and any(v.strip() for v in values):
            content.add(n)
    data = out.getvalue().encode(encoding, errors="replace")
    path = tmp_path / "s.csv"
    path.write_bytes((b"\x81\x8d" if bom_garbage else b"") + data)
    result = ingest_file(conn, path, defs, archive_dir=tmp_path / "archive")
    # Rows of an unknown kind with content are quarantined too; multi-line cells shift line
    # numbers, so only files without them are checked row by row.
    single_line = not any("\n" in v or "\r" in v for _, values in rows for v in values)
    assert_explained(conn, result, content if single_line and not bom_garbage else set())


def write_company(book, name):
    """Write the company sheet of textile member T1's 2018 questionnaire."""
    company = book.add_worksheet(name)
    for r, row in enumerate([["Code", "Vraag", "Question", "Antwoord / Answer"],
                             ["covenant", "", "", "textiel"], ["year", "", "", 2018],
                             ["member_id", "", "", "T1"]]):
        company.write_row(r, 0, row)


def write_sites(path, rows):
    with xlsxwriter.Workbook(path) as book:
        write_company(book, "Bedrijf (Company)")
        sheet = book.add_worksheet("Productielocaties (Locations)")
        sheet.write_row(0, 0, SITE_COLUMNS)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, tuple):
                    sheet.write_formula(r, c, value[0], None, value[1])
                elif value is not None:
                    sheet.write(r, c, value)
        book.add_worksheet("Grondstoffen").write_row(0, 0, ["material", "purchased_volume",
                                                            "certified_volume"])


xlsx_cells = st.one_of(cells.filter(no_totals), st.integers(-10**16, 10**16),
                       st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                       st.none(), st.sampled_from([("=1/0", "#DIV/0!"), ("=NA()", "#N/A")]))


@given(st.lists(st.lists(xlsx_cells, min_size=len(SITE_COLUMNS), max_size=len(SITE_COLUMNS)),
                max_size=10))
@FAST
def test_malformed_xlsx_is_loaded_or_rejected_with_reasons(defs, tmp_path_factory, rows):
    tmp_path = tmp_path_factory.mktemp("xlsx")
    conn = warehouse(defs, tmp_path)
    write_sites(tmp_path / "s.xlsx", rows)
    content = {n for n, row in enumerate(rows, start=2)
               if any(v is not None and str(v).strip() for v in row)}
    result = ingest_file(conn, tmp_path / "s.xlsx", defs, archive_dir=tmp_path / "archive")
    assert_explained(conn, result, content)


@pytest.fixture(scope="module")
def good_xlsx(tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "good.xlsx"
    write_sites(path, [["S1", "BD", 10, 1, "ja", 1, 1, 0, "ja"]])
    return path.read_bytes()


@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1,
                max_size=8), st.floats(0.5, 1), st.sampled_from([".xlsx", ".csv", ".json",
                                                                   ".parquet"]))
@FAST
def test_damaged_bytes_never_crash_ingest(defs, tmp_path_factory, good_xlsx, flips, keep,
                                          suffix):
    tmp_path = tmp_path_factory.mktemp("bytes")
    conn = warehouse(defs, tmp_path)
    raw = bytearray(good_xlsx)
    for at, value in flips:
        raw[int(at * len(raw))] = value
    cut = int(keep * len(raw))
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(bytes(raw[:cut]))
    assert_explained(conn, ingest_file(conn, path, defs, archive_dir=tmp_path / "a"), set())


@pytest.mark.parametrize("text", ["", "record\n", ";;;\n;;;\n", "\ufeff" + "record;x\n" * 3,
                                  string.printable])
def test_csv_edge_cases_are_explained(defs, tmp_path, text):
    conn = warehouse(defs, tmp_path)
    (tmp_path / "e.csv").write_text(text, encoding="utf-8")
    assert_explained(conn, ingest_file(conn, tmp_path / "e.csv", defs,
                                       archive_dir=tmp_path / "a"), set())


total_labels = st.builds(
    lambda pre, word, post, case: case(pre + word + post),
    st.sampled_from(["", "sub", "Sub-", "sub ", "grand ", "Grand-", "eind", "  "]),
    st.sampled_from(["totaal", "total", "totalen", "totals", "som", "sum"]),
    st.sampled_from(["", ":", " :", " China", " BD:", " (alle locaties)"]),
    st.sampled_from([str.lower, str.upper, str.title, str]))
real_sites = st.lists(st.integers(0, 10_000).flatmap(
    lambda w: st.tuples(st.just(w), st.integers(0, w))), min_size=1, max_size=8)


@st.composite
def sheet_with_totals(draw):
    """Return site rows with totals rows among them: (rows, real sites, [(row, label, sums)])."""
    sites = draw(real_sites)
    column = draw(st.sampled_from([0, 1, "extra"]))
    rows, totals, segment, everything = [], [], [0, 0], [0, 0]
    labels = set()
    for i, (workers, over) in enumerate(sites):
        rows.append([f"S{i}", "BD", workers, over, "ja", 1, 0, 0, "ja"])
        segment, everything = ([segment[0] + workers, segment[1] + over],
                               [everything[0] + workers, everything[1] + over])
        if draw(st.booleans()):
            wrong = draw(st.sampled_from([0, 1]))
            numbers = [segment[0] + wrong, segment[1]]
            label = draw(total_labels)
            labels.add(label)
            total = [None, None, *numbers, None, None, None, None, None]
            total[0 if column == "extra" else column] = label
            rows.append(total)
            totals.append((len(rows) + 1, label, numbers in (segment, everything)))
            segment = [0, 0]
    if column == "extra":  # the labels in a column of their own, without a header
        rows = [[r[0], None, *r[1:]] if r[0] in labels else [None, *r] for r in rows]
    return rows, sites, totals, column == "extra"


@given(sheet_with_totals())
@FAST
def test_totals_rows_with_any_label_are_reported_not_loaded(defs, tmp_path_factory, sheet):
    rows, sites, totals, extra = sheet
    tmp_path = tmp_path_factory.mktemp("totals")
    conn = warehouse(defs, tmp_path)
    header = ([None] if extra else []) + SITE_COLUMNS
    path = tmp_path / "t.xlsx"
    with xlsxwriter.Workbook(path) as book:
        write_company(book, "Bedrijf")
        sheet = book.add_worksheet("Productielocaties")
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        book.add_worksheet("Grondstoffen").write_row(0, 0, ["material", "purchased_volume"])
    result = ingest_file(conn, path, defs, archive_dir=tmp_path / "archive")
    assert result.status == "loaded"
    assert conn.execute("SELECT count(*), sum(workers), sum(workers_over_60h) FROM sites"
                        ).fetchall() == [(len(sites), sum(w for w, _ in sites),
                                          sum(o for _, o in sites))]
    assert [(r.scope, r.row, r.value, r.rule) for r in result.rejects
            if r.rule != "missing_question"] == [
        ("notice", row, label.strip(), "total_row_sum" if sums else "total_row")
        for row, label, sums in totals]
    assert_explained(conn, result, set())


@st.composite
def merged_sites(draw):
    """Return sites and, per column, ranges of rows merged in that column."""
    n = draw(st.integers(2, 10))
    countries = draw(st.lists(st.sampled_from(["BD", "CN", "IN", "Turkije"]), min_size=n,
                              max_size=n))
    workers = draw(st.lists(st.integers(0, 5000), min_size=n, max_size=n))

    def ranges():
        out, at = [], 0
        while at < n:
            end = min(n, at + draw(st.integers(1, 4)))
            if end - at >= 2 and draw(st.booleans()):
                out.append((at, end - 1))
            at = end
        return out

    return countries, workers, ranges(), ranges(), draw(st.booleans())


@given(merged_sites())
@FAST
def test_merged_cells_spread_or_quarantine_never_empty(defs, tmp_path_factory, drawn):
    countries, workers, country_merges, worker_merges, title = drawn
    tmp_path = tmp_path_factory.mktemp("merges")
    conn = warehouse(defs, tmp_path)
    first = 2 if title else 1
    covered = {(first + i, c) for column, merges in ((1, country_merges), (2, worker_merges))
               for a, b in merges for i in range(a + 1, b + 1) for c in [column]}
    path = tmp_path / "m.xlsx"
    with xlsxwriter.Workbook(path) as book:
        write_company(book, "Bedrijf")
        sheet = book.add_worksheet("Productielocaties")
        if title:
            sheet.merge_range(0, 0, 0, 8, "Productielocaties 2018")
        sheet.write_row(first - 1, 0, SITE_COLUMNS)
        for i, (country, count) in enumerate(zip(countries, workers, strict=True)):
            for c, value in enumerate([f"S{i}", country, count, 0, "ja", 0, 0, 0, "ja"]):
                if (first + i, c) not in covered:
                    sheet.write(first + i, c, value)
        for column, merges in ((1, country_merges), (2, worker_merges)):
            for a, b in merges:
                sheet.merge_range(first + a, column, first + b, column,
                                  (countries if column == 1 else workers)[a])
        book.add_worksheet("Grondstoffen").write_row(0, 0, ["material", "purchased_volume"])
    result = ingest_file(conn, path, defs, archive_dir=tmp_path / "archive")
    shown = list(countries)
    for a, b in country_merges:
        shown[a:b + 1] = [countries[a]] * (b - a + 1)
    dropped = {i for a, b in worker_merges for i in range(a, b + 1)}
    codes = {"BD": "BD", "CN": "CN", "IN": "IN", "Turkije": "TR"}
    assert conn.execute("SELECT site_id, country, workers FROM sites ORDER BY row_number"
                        ).fetchall() == [(f"S{i}", codes[shown[i]], workers[i])
                                         for i in range(len(countries)) if i not in dropped]
    assert sorted((r.row, r.rule) for r in result.rejects if r.scope == "row") == [
        (first + 1 + i, "merged_rows") for i in sorted(dropped)]
    assert_explained(conn, result, {first + 1 + i for i in range(len(countries))})


@given(sheet_with_totals(), st.sampled_from([";", ","]))
@FAST
def test_totals_rows_in_a_csv_are_reported_not_loaded(defs, tmp_path_factory, sheet, sep):
    rows, sites, totals, extra = sheet
    tmp_path = tmp_path_factory.mktemp("totals-csv")
    conn = warehouse(defs, tmp_path)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(["record", "covenant", "year", "member_id", *SITE_COLUMNS])
    writer.writerow(["bedrijf", "textiel", "2018", "T1", *[""] * len(SITE_COLUMNS)])
    for row in rows:
        # Labels in a column of their own go in the record column, the others in theirs.
        record = row[0] if extra and row[0] is not None else "locatie"
        cells = row[1:] if extra else row
        writer.writerow([record, "", "", "", *("" if v is None else v for v in cells)])
    path = tmp_path / "t.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = ingest_file(conn, path, defs, archive_dir=tmp_path / "archive")
    assert conn.execute("SELECT count(*), sum(workers) FROM sites").fetchall() == [
        (len(sites), sum(w for w, _ in sites))]
    assert [(r.row, r.value, r.rule) for r in result.rejects if r.scope == "notice"
            and r.rule.startswith("total")] == [
        (row + 1, label.strip(), "total_row_sum" if sums else "total_row")
        for row, label, sums in totals]
    assert_explained(conn, result, set())
