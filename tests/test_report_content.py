"""The meeting pack's content, read through the access layer from the real ingest of the
hand-worked input of tests/test_kpis.py (textile 2018: members A–E bound, A–D submit).

Dominance (2, 85) on volume-weighted values, worked out by hand: excessive hours 47 workers over
60 h = A 10 + B 30 + D 7, the top two 40/47 = 85.1 % > 85 %; certified volume 70 = A 40 + B 10 +
C 20, top two 60/70 = 85.7 %; joint audits 4 = A 2 + B 1 + C 1 and public audits 2 = A 1 + B 1,
top two 3/4 and 2/2. Those four are suppressed for the public.
"""

import dataclasses
import json
from datetime import date

import pytest

from dashboard.report import charts
from dashboard.report.appendix import measure_text
from dashboard.report.charts import browser_path
from dashboard.report.control import IDS, pack_control, pack_year
from dashboard.report.pack import check_request, file_name, pack_choice, read_pack
from imvo.errors import ImvoError
from tests.dashboard_support import find, texts
from tests.report_support import tiny_warehouse
from warehouse import access
from warehouse.access import PUBLIC, Viewer
from warehouse.connection import connect_reader

COMMISSION = Viewer("commission", "textiel")
MADE_ON = date(2025, 3, 2)


@pytest.fixture(scope="module")
def reader(tmp_path_factory, defs):
    conn = connect_reader(tiny_warehouse(tmp_path_factory.mktemp("pack"), defs))
    yield conn
    conn.close()


def _pack(reader, defs, viewer=PUBLIC, year=2019, lang="en"):
    return read_pack(reader, viewer, defs, covenant="textiel", year=year, lang=lang,
                     made_on=MADE_ON)


def _words(pack) -> str:
    """Every text of a pack and its charts, as one string."""
    figures = [json.loads(f.to_json()) for f in pack.figures]
    return json.dumps(dataclasses.asdict(dataclasses.replace(pack, figures=[]))) + json.dumps(
        figures)


def test_status_overview_shows_hand_worked_values_for_the_public(reader, defs):
    lines = {s.name: s for s in _pack(reader, defs).status}
    assert [(s.latest, s.coverage) for s in lines.values()][:3] == [
        ("5 (2018)", "80%"), ("18.0% (2018)", "80%"), ("66.7% (2018)", "80%")]  # 4 of 5 sent
    hours = lines["Share of supplier workers who worked more than 60 hours a week"]
    assert hours.latest == "suppressed (a few members dominate the total) (2018)"
    assert (hours.target, hours.status_text) == ("2018: 7.0%", "Insufficient data")
    sites = lines["Disclosed production locations"]  # 4 sites in 2018 against 2,802 in 2016
    assert (sites.latest, sites.target, sites.status) == ("4 (2018)", "2020: 8,000",
                                                          "moving_away")
    assert lines["Share of joint audits"].status_text == "no target"


def test_public_pack_never_holds_a_suppressed_number(reader, defs):
    words = _words(_pack(reader, defs))
    for hidden in ("11.19", "31.81", "11.2%", "31.8%", "40.0%", "20.0%"):
        assert hidden not in words
    assert "suppressed" in words


def test_commission_pack_shows_suppressed_values_marked_confidential(reader, defs):
    pack = _pack(reader, defs, viewer=COMMISSION)
    lines = {s.name: s.latest for s in pack.status}
    assert lines["Share of supplier workers who worked more than 60 hours a week"] == \
        "11.2% (2018)"  # 47 / 420
    assert lines["Share of sustainably certified raw materials"] == "31.8% (2018)"  # 70 / 220
    hours = next(p for p in pack.kpis if p.kpi == "excessive_hours_share")
    assert hours.notes == ["2018: 11.2%, confidential; suppressed in public editions "
                           "(a few members dominate the total)"]
    assert pack.cover.confidential and pack.cover.edition.startswith("Confidential:")
    assert ("Made for", "the monitoring commission") in pack.cover.facts


def test_status_is_the_stored_assessment_as_on_screen(reader, defs):
    stored = {r["kpi"]: r for r in access.progress(reader, PUBLIC, covenant="textiel")
              .iter_rows(named=True)}
    for year in (2018, 2020):
        shown = {s.name: s.status for s in _pack(reader, defs, year=year).status if s.status}
        assert shown == {defs.kpis[k].name.en: stored[k]["status"] for k in stored}


def test_an_earlier_year_is_judged_on_the_data_up_to_that_year(reader, defs):
    pack = _pack(reader, defs, year=2017)
    sites = next(s for s in pack.status if s.name == "Disclosed production locations")
    assert (sites.latest, sites.status, sites.target) == ("no data", "insufficient_data",
                                                          "2018: 6,000")
    assert [(c.year, c.bound, c.submitted, c.coverage, c.low) for c in pack.coverage] == [
        (2016, 5, 0, "0%", True), (2017, 5, 0, "0%", True)]
    assert set(dict(pack.freshness).values()) == {"—"}


def test_coverage_freshness_goals_and_definitions(reader, defs):
    pack = _pack(reader, defs, lang="nl")
    assert [(c.year, c.submitted, c.coverage) for c in pack.coverage] == [
        (2016, 0, "0 %"), (2017, 0, "0 %"), (2018, 4, "80 %"), (2019, 0, "0 %")]
    assert dict(pack.freshness)["Openbaar gemaakte productielocaties"] == "2018"
    assert [g.title for g in pack.goals] == [
        "Geen buitensporige werktijden in de keten", "Een transparante productieketen",
        "Duurzamere grondstoffen"]
    hours = pack.goals[0].lines[0][1]
    assert hours.startswith("basis 2016: 12,0 %; mijlpalen 2018: 7,0 % · 2020: 2,0 % (bron: ")
    msi = dict(pack.definitions[2].lines)
    assert msi["Berekening"] == ("aantal leden waarbij msi_member = ja, gedeeld door aantal "
                                 "leden waarbij msi_member is beantwoord, maal 100")
    assert (msi["Richting"], msi["Weging"]) == ("hoger is beter", "per lid")


def test_measures_read_as_words(defs):
    hours = defs.kpis["excessive_hours_share"]
    assert measure_text(hours.numerator, "en") == "sum of workers_over_60h"
    sites = defs.kpis["production_locations"].numerator
    assert measure_text(sites, "en") == "number of production locations where disclosed = yes"


def test_requests_that_cannot_be_made_say_why(defs):
    with pytest.raises(ImvoError) as unknown:
        check_request(defs, "kleding", 2019)
    assert str(unknown.value).startswith("unknown covenant 'kleding'\nHint: choose one of: ")
    with pytest.raises(ImvoError) as outside:
        check_request(defs, "textiel", 2021)
    assert str(outside.value) == ("2021 is outside the period of textiel (2016–2020)\n"
                                  "Hint: choose a year in the period")
    with pytest.raises(ImvoError) as choice:
        pack_choice("docx", "nl")
    assert str(choice.value) == ("unknown format 'docx' or language 'nl'\n"
                                 "Hint: use --format pdf or pptx, and --lang nl or en")


def test_file_names_follow_language_covenant_and_year():
    assert file_name("textiel", 2019, "nl", "pdf") == "vergaderstuk-textiel-2019.pdf"
    assert file_name("banken", 2018, "en", "pptx") == "meeting-pack-banken-2018.pptx"


def test_browser_comes_from_browser_path_or_the_system(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nothing"))
    with pytest.raises(ImvoError) as missing:
        browser_path()
    assert str(missing.value) == (f"BROWSER_PATH names no file: {tmp_path / 'nothing'}\n"
                                  "Hint: point BROWSER_PATH at a Chrome or Chromium, or unset it")
    chrome = tmp_path / "chrome"
    chrome.write_text("")
    monkeypatch.setenv("BROWSER_PATH", str(chrome))
    assert browser_path() == str(chrome)
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setattr(charts, "BROWSERS", ("chromium", "google-chrome"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ImvoError, match="no Chromium found to draw the charts"):
        browser_path()


def test_control_offers_the_covenant_years_and_the_newest_reported_one(reader, defs):
    values = access.kpi_values(reader, PUBLIC, covenant="textiel")
    covenant = defs.covenants["textiel"]
    assert pack_year(values, covenant) == 2018
    control = pack_control(covenant, year=2018, lang="nl")
    year = find(control, id=IDS["year"])[0]
    assert [o["value"] for o in year.options] == [2016, 2017, 2018, 2019, 2020]
    assert year.value == 2018
    assert "Maak vergaderstuk" in texts(control)
    assert find(control, id=IDS["poll"])[0].disabled is True

