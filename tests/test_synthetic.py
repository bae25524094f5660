"""The synthetic demo data: deterministic, calibrated to published figures, valid, writable."""

import re
from collections import Counter
from datetime import date

import fastexcel
import polars as pl
import pytest

from imvo.definitions import definitions
from pipelines.synthetic import SyntheticSet, generate, write_files
from pipelines.template import INSTRUCTIONS, sheet_name

FINANCIAL = ("banken", "verzekeringen", "pensioenfondsen")
NOT_ABOVE = (("workers_over_60h", "workers"), ("audits_joint", "audits"),
             ("audits_public", "audits"), ("certified_volume", "purchased_volume"),
             ("assets_covered", "assets_total"))


@pytest.fixture(scope="module")
def defs():
    return definitions()


@pytest.fixture(scope="module")
def data(defs):
    return generate(defs)


def bound(data, covenant, year):
    """Count the members bound in a year, straight from the register."""
    return data.members.filter(
        (pl.col("covenant") == covenant) & (pl.col("joined") <= date(year, 12, 31))
        & (pl.col("left_on").is_null() | (pl.col("left_on") >= date(year, 1, 1)))).height


def submitted(data, covenant, year):
    return [s for s in data.submissions if s.covenant == covenant and s.year == year]


def test_same_seed_gives_the_same_data(defs, data):
    again = generate(defs)
    assert again.members.equals(data.members)
    assert again.submissions == data.submissions
    other = generate(defs, seed=7)
    assert other.submissions != data.submissions


def test_published_member_counts(data):
    assert bound(data, "textiel", 2018) == 93
    assert 50 <= bound(data, "textiel", 2016) <= 60
    assert [bound(data, "banken", y) for y in (2017, 2018, 2019)] == [11, 11, 11]
    assert bound(data, "goud", 2017) == 12
    assert bound(data, "hout", 2017) == 23
    assert bound(data, "pensioenfondsen", 2019) == 81


@pytest.mark.parametrize(("year", "published"), [(2016, 2802), (2017, 4268), (2018, 6289)])
def test_textile_disclosed_sites_near_published(data, year, published):
    disclosed = sum(site.get("disclosed") is True
                    for s in submitted(data, "textiel", year) for site in s.sites)
    assert abs(disclosed - published) <= 0.03 * published


def test_textile_market_share_near_48_percent_in_2018(data):
    total = sum(s.answers["market_share_pct"] or 0 for s in submitted(data, "textiel", 2018))
    assert 46 <= total <= 50


def test_gold_due_diligence_reports(data):
    def reports(year):
        return sum(s.answers["dd_report_published"] is True for s in submitted(data, "goud", year))

    assert 5 <= reports(2017) <= 8
    assert reports(2018) == 5


def test_every_bound_member_year_is_a_submission_or_a_gap(data):
    keys = [(s.covenant, s.year, s.member_id) for s in data.submissions]
    assert len(keys) == len(set(keys))
    register = {(r["covenant"], r["member_id"]): r for r in data.members.iter_rows(named=True)}
    for cov, year, member in keys:
        row = register[(cov, member)]
        assert row["joined"] <= date(year, 12, 31)
        assert row["left_on"] is None or row["left_on"] >= date(year, 1, 1)


def test_non_submission_rate_between_5_and_15_percent(defs, data):
    expected = sum(bound(data, slug, y) for slug, cov in defs.covenants.items()
                   for y in cov.years)
    assert 0.05 <= 1 - len(data.submissions) / expected <= 0.15


def test_only_template_fields_are_filled(defs, data):
    for s in data.submissions:
        fields = {f.id: f.table for f in defs.template_fields(s.covenant)}
        assert set(s.answers) == {f for f, t in fields.items() if t == "answers"}
        for table, rows in (("sites", s.sites), ("materials", s.materials)):
            assert all(set(r) == {f for f, t in fields.items() if t == table} for r in rows)


def test_constraints_hold_for_every_row(defs, data):
    for s in data.submissions:
        for row in [s.answers, *s.sites, *s.materials]:
            for part, whole in NOT_ABOVE:
                if row.get(part) is not None and row.get(whole) is not None:
                    assert 0 <= row[part] <= row[whole], (s.member_id, part, row)
            share = row.get("market_share_pct")
            assert share is None or 0 <= share <= 100
            country = row.get("country")
            assert country is None or re.fullmatch(r"[A-Z]{2}", country)
        site_ids = [r["site_id"] for r in s.sites]
        assert len(site_ids) == len(set(site_ids)) and None not in site_ids
        assert len({r["material"] for r in s.materials}) == len(s.materials)


def test_about_3_percent_of_answers_are_blank(data):
    cells = Counter(value is None for s in data.submissions for row in [s.answers, *s.sites]
                    for value in row.values())
    assert 0.01 <= cells[True] / cells.total() <= 0.05


def test_financial_covenants_have_no_sites_or_materials(data):
    financial = [s for s in data.submissions if s.covenant in FINANCIAL]
    assert financial
    assert all(not s.sites and not s.materials for s in financial)


def test_size_classes_vary_in_every_covenant(data):
    sizes = data.members.group_by("covenant").agg(
        small=(pl.col("size_class") == "small").sum(), classes=pl.col("size_class").n_unique())
    assert sizes.height == 11
    assert sizes["small"].min() >= 2
    assert sizes["classes"].min() == 3


def test_member_ids_and_names(data):
    members = data.members
    assert members["member_id"].str.contains(r"^[A-Z]{3}-\d{4}$").all()
    assert members.select(pl.struct("covenant", "name").is_unique().all()).item()
    assert members.filter(pl.col("covenant") == "textiel")["member_id"][0] == "TEX-0001"


def test_textile_excessive_hours_start_near_baseline_and_fall(defs, data):
    def share(year):
        sites = [r for s in submitted(data, "textiel", year) for r in s.sites]
        over = sum(r["workers_over_60h"] or 0 for r in sites)
        return 100 * over / sum(r["workers"] for r in sites)

    shares = [share(y) for y in defs.covenants["textiel"].years]
    assert abs(shares[0] - 12) <= 1.5
    assert shares == sorted(shares, reverse=True)


def test_scale_multiplies_members_and_sites(defs):
    double = generate(defs, scale=2.0)
    assert bound(double, "textiel", 2018) == 186
    disclosed = sum(r["disclosed"] is True for s in submitted(double, "textiel", 2016)
                    for r in s.sites)
    assert abs(disclosed - 2 * 2802) <= 0.03 * 2 * 2802


def test_write_files_writes_readable_questionnaires(defs, data, tmp_path):
    picked = [next(s for s in data.submissions if s.covenant == c)
              for c in ("textiel", "banken", "goud")]
    subset = SyntheticSet(members=data.members, submissions=picked)
    paths = write_files(subset, tmp_path, defs, workers=2)
    assert paths == [tmp_path / s.covenant / str(s.year) / f"{s.member_id}.xlsx" for s in picked]
    tables = defs.catalogue.tables
    for path, s in zip(paths, picked, strict=True):
        book = fastexcel.read_excel(path)
        expected = [sheet_name(INSTRUCTIONS), sheet_name(tables["answers"])]
        if s.sites:
            expected += [sheet_name(tables["sites"]), sheet_name(tables["materials"])]
        assert book.sheet_names == expected
        company = book.load_sheet_by_name(expected[1], header_row=None, dtypes="string")
        assert s.member_id in company.to_polars().to_series(3).to_list()
    header = (tmp_path / "members.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "covenant,member_id,name,size_class,joined,left_on,weight"
    register = pl.read_csv(tmp_path / "members.csv", try_parse_dates=True)
    assert register.height == data.members.height
    assert register["joined"].dtype == pl.Date
