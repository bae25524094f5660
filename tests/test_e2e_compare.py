"""End to end in real headless Chromium: the Compare page, projector mode and printing.

`imvo serve` runs on the hand-written mart of tests/compare_support.py in its own process; the
numbers expected on screen are read from that mart with hand-written SQL.
"""

import pytest

from tests.browser_support import (
    body_text,
    chromium,
    open_and_find,
    require_browser,
    serving,
    wait_for,
)
from tests.compare_support import HOURS, build_compare_warehouse
from warehouse.connection import connect_reader

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_console")]
PANEL_X = ("return document.querySelector('#compare-panel-{} .js-plotly-plot')"
           ".data.filter(t => t.legendgroup === 'observed')[0].x")


@pytest.fixture(scope="module")
def mart(tmp_path_factory, defs):
    require_browser()
    data = tmp_path_factory.mktemp("compare")
    return build_compare_warehouse(data / "imvo.duckdb", defs.catalogue)


@pytest.fixture(scope="module")
def server(mart):
    with serving(mart.parent) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as driver:
        yield driver


def _latest_from_mart(path) -> dict[str, float]:
    conn = connect_reader(path)
    try:
        rows = conn.execute(
            "SELECT covenant, value FROM kpi_values k WHERE kpi = ? AND breakdown = 'total' "
            "AND year = (SELECT max(year) FROM kpi_values l WHERE l.covenant = k.covenant "
            "AND l.kpi = k.kpi AND l.breakdown = 'total' AND l.members_submitted > 0)",
            [HOURS]).fetchall()
    finally:
        conn.close()
    return dict(rows)


def _row(driver, slug: str) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.CSS_SELECTOR, f"tr[data-covenant='{slug}']").text)


def test_compare_page_shows_the_marts_latest_values_across_covenants(server, browser, mart):
    open_and_find(browser, f"{server}/compare?kpi={HOURS}&axis=calendar&lang=en",
                  "Ranking of the latest values")
    latest = _latest_from_mart(mart)
    assert latest == {"textiel": 9.0, "goud": 15.0, "hout": None, "metaal": 6.0,
                      "natuursteen": 30.0}
    for slug, shown in (("metaal", "1 Metals Sector Agreement 6.0%"),
                        ("textiel", "9.0%"), ("goud", "15.0%"), ("natuursteen", "30.0%")):
        assert shown in _row(browser, slug)
    assert "low coverage" in _row(browser, "natuursteen")
    wood = _row(browser, "hout")
    assert "suppressed" in wood and "fewer than 3 contributing members" in wood
    assert "0.0%" not in wood
    assert "no data" in _row(browser, "sierteelt")


def test_switching_the_axis_updates_the_charts_and_the_url(server, browser):
    from selenium.webdriver.common.by import By

    open_and_find(browser, f"{server}/compare?kpi={HOURS}&axis=calendar&lang=en",
                  "Trend per agreement")
    wait_for(browser, lambda d: d.execute_script(PANEL_X.format("textiel")) == [2016, 2017, 2018])
    browser.find_element(By.CSS_SELECTOR, "#compare-axis input[value='covenant']").click()
    wait_for(browser, lambda d: "axis=covenant" in d.current_url)
    assert f"kpi={HOURS}" in browser.current_url and "lang=en" in browser.current_url
    wait_for(browser, lambda d: d.execute_script(PANEL_X.format("textiel")) == [1, 2, 3])
    assert browser.execute_script(PANEL_X.format("metaal")) == [1]
    # the keyboard user keeps their place: focus is back on the control they used
    focused = browser.execute_script("return document.activeElement.value")
    assert focused == "covenant"


def test_a_copied_url_opens_the_same_view(server, browser):
    from selenium.webdriver.common.by import By

    url = f"{server}/compare?kpi=members_count&axis=covenant&lang=nl"
    open_and_find(browser, url, "Ranglijst van de laatste waarden")
    assert "Aantal aangesloten leden" in browser.find_element(By.ID, "compare-kpi").text
    chosen = browser.find_element(By.CSS_SELECTOR, "#compare-axis input[value='covenant']")
    assert chosen.is_selected()
    wait_for(browser, lambda d: d.execute_script(PANEL_X.format("banken")) == [1, 2])
    assert browser.execute_script(PANEL_X.format("textiel")) == [1, 2, 3]
    assert "93" in _row(browser, "textiel") and "11" in _row(browser, "banken")
    switch = browser.find_element(By.CSS_SELECTOR, ".lang-switch a").get_attribute("href")
    assert switch.endswith("/compare?kpi=members_count&axis=covenant&lang=en")


def test_projector_steps_through_the_kpis_with_the_keyboard(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_and_find(browser, f"{server}/projector/textiel?kpi=members_count&lang=en", "KPI 1 of 10")
    assert "Number of members" in browser.find_element(By.ID, "projector-kpi").text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")) == 1  # one KPI

    def press(key, position):
        browser.find_element(By.TAG_NAME, "body").send_keys(key)
        wait_for(browser, lambda d: position in body_text(d))

    press(Keys.ARROW_RIGHT, "KPI 2 of 10")
    assert "kpi=market_coverage" in browser.current_url
    assert browser.find_element(By.ID, "projector-kpi").text == "Market coverage"
    assert "48.3%" in body_text(browser)
    press(Keys.PAGE_DOWN, "KPI 3 of 10")
    press(Keys.ARROW_LEFT, "KPI 2 of 10")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    wait_for(browser, lambda d: d.current_url.endswith("/covenant/textiel?lang=en"))


def test_projector_buttons_are_reachable_and_show_focus(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_and_find(browser, f"{server}/projector/goud?lang=en", "KPI 1 of")
    for _ in range(12):  # Tab through the header to the projector's buttons
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.get_attribute("id") == "projector-next":
            break
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "projector-next"
    assert focused.value_of_css_property("outline-style") == "solid"
    assert focused.value_of_css_property("outline-width") == "3px"
    focused.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "KPI 2 of" in body_text(d))
    assert browser.find_elements(By.ID, "projector-prev")


def test_printing_hides_controls_and_keeps_charts_whole(server, browser):
    open_and_find(browser, f"{server}/compare?kpi={HOURS}&axis=covenant&lang=en",
                  "Trend per agreement")
    style = ("return getComputedStyle(document.querySelector(arguments[0]))"
             "[arguments[1]]")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for hidden in (".main-nav", ".lang-switch", ".compare-controls", ".exports"):
            assert browser.execute_script(style, hidden, "display") == "none"
        assert browser.execute_script(style, "body", "color") == "rgb(0, 0, 0)"
        assert browser.execute_script(style, "body", "backgroundColor") == "rgb(255, 255, 255)"
        assert browser.execute_script(style, ".compare-panel", "breakInside") == "avoid"
        assert browser.execute_script(style, ".js-plotly-plot", "breakInside") == "avoid"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert browser.execute_script(style, ".compare-controls", "display") != "none"
