"""What each page shows each role, for tests/test_e2e_roles.py: the rules, the mart, the plans.

The rules are written out here from DESIGN.md §7 and the README's role table, not taken from
the access layer, and the expected numbers are read from the mart with hand-written SQL.
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

import duckdb

from pipelines.ingest import ingest_paths
from tests.auth_support import COMPANY_TEXT, SUPPRESSED_TEXT
from tests.browser_support import wait_for
from tests.conftest import mat, site, write_csv_submission, write_tiny_inputs
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

ROLES = ("public", "steering-textiel", "evaluator", "commission-textiel", "admin")
# The covenants whose suppressed values and company rows a role sees.
COMPANY = {"commission-textiel": {"textiel"}, "admin": {"textiel", "banken"}}
# The pages that refuse every role not named here.
OPENS = {"quality": {"commission-textiel", "admin"}, "member": {"commission-textiel", "admin"},
         "upload": {"commission-textiel", "admin"}, "audit": {"admin"}}

COMPANY_DENIED = {
    "en": "Company data is for the monitoring commission and secretariat of the agreement only. "
          "Hint: sign in with a commission account of that agreement.",
    "nl": "Bedrijfsgegevens zijn alleen voor de monitoringcommissie en het secretariaat van het "
          "convenant. Tip: log in met een account van de commissie van dat convenant."}
DISTRIBUTION_HIDDEN = {
    "en": "The spread across the members and the values per company are shown to the "
          "monitoring commission of this agreement only."}
UPLOAD_DENIED = {
    "en": "Uploading is for the secretariat and monitoring commission of an agreement.",
    "nl": "Inleveren is voor het secretariaat en de monitoringcommissie van een convenant."}
AUDIT_DENIED = {"en": "The audit log is for administrators only.",
                "nl": "Het logboek is alleen voor beheerders."}
UPLOAD_SCOPE = {
    "commission-textiel": {"en": "You upload for the agreement textiel.",
                           "nl": "U levert in voor het convenant textiel."},
    "admin": {"en": "As an administrator you upload for any agreement.",
              "nl": "Als beheerder levert u in voor elk convenant."}}
SUPPRESSED = {"en": "suppressed", "nl": "onderdrukt"}


def leaks(text: str, role: str, expected: str = "") -> list[str]:
    """Return the company rows and suppressed values in a page's text that the role may not see.

    A percentage the page is expected to show of data the role may see (a coverage of 80.0%)
    is not taken for another covenant's suppressed value that reads the same.
    """
    found = []
    for covenant in ("textiel", "banken"):
        if covenant in COMPANY.get(role, set()):
            continue
        found += [f"{covenant}: {t!r}" for t in COMPANY_TEXT[covenant] if t in text]
        found += [f"{covenant}: {m.group(0)!r}" for m in SUPPRESSED_TEXT[covenant].finditer(text)
                  if m.group(0) not in expected]
    return found


def build_mart(folder: Path, defs) -> Path:
    """Ingest the hand-worked input and textile 2017 files of A, B, C; compute the mart."""
    paths = write_tiny_inputs(folder / "in")
    # MSI 2017: A yes of A, B, C = 33.3 %; certified 3 x 2 of 10 = 20.0 %, not suppressed.
    for member, msi in (("A", "ja"), ("B", "nee"), ("C", "nee")):
        paths.append(write_csv_submission(
            folder / "in" / f"2017_{member}.csv", "textiel", 2017, member,
            answers={"msi_member": msi, "dd_report_published": "nee", "market_share_pct": "2 %"},
            sites=[site(f"{member}7", "BD", 100, 10, "ja", 1, 0, 0, "ja")],
            materials=[mat("cotton", 10, 2)]))
    with connect_writer(folder / "imvo.duckdb", defs.catalogue) as conn:
        ingest_paths(conn, paths, defs, archive_dir=folder / "archive")
        compute_kpis(conn, defs)
    return folder / "imvo.duckdb"


# Members bound in a year: joined by then (no member of this input leaves).
SUBMITTED = """
SELECT y.slug, y.year, count(DISTINCT m.member_id), count(DISTINCT s.member_id)
FROM (SELECT slug, unnest(generate_series(first_year, last_year)) AS year FROM covenants) y
LEFT JOIN members m ON m.covenant = y.slug AND year(m.joined) <= y.year
LEFT JOIN submissions s ON s.covenant = m.covenant AND s.member_id = m.member_id
     AND s.year = y.year AND s.is_current
WHERE y.slug = ? OR ? IS NULL
GROUP BY y.slug, y.year ORDER BY y.slug, y.year
"""


class Mart:
    """The numbers the pages must show, read with hand-written SQL from the served files."""

    def __init__(self, folder: Path, defs) -> None:
        self.conn = duckdb.connect(str(folder / "imvo.duckdb"), read_only=True)
        self.users = folder / "users.sqlite"
        self.defs = defs

    def close(self) -> None:
        """Close the mart."""
        self.conn.close()

    def rows(self, sql: str, *params) -> list[tuple]:
        """Return the rows of a query."""
        return self.conn.execute(sql, list(params)).fetchall()

    def value(self, kpi: str, year: int, *, covenant: str = "textiel",
              breakdown: str = "total", category: str = "total") -> tuple[float, bool]:
        """Return a value of the mart and whether it is suppressed."""
        return self.rows("SELECT value, suppressed FROM kpi_values WHERE covenant = ? AND "
                         "kpi = ? AND year = ? AND breakdown = ? AND category = ?",
                         covenant, kpi, year, breakdown, category)[0]

    def cells(self, kpi: str, year: int, breakdown: str) -> list[tuple[float, bool]]:
        """Return the textile values of a breakdown's categories and whether each is suppressed."""
        return self.rows("SELECT value, suppressed FROM kpi_values WHERE covenant = 'textiel' "
                         "AND kpi = ? AND year = ? AND breakdown = ? ORDER BY category",
                         kpi, year, breakdown)

    def unit(self, kpi: str) -> str:
        """Return a KPI's unit."""
        return str(self.defs.kpis[kpi].unit)

    def latest(self, covenant: str, kpi: str,
               year: int | None = None) -> tuple[int, float, bool] | None:
        """Return the newest year (up to `year`) with submissions, its value and suppression."""
        found = self.rows("SELECT year, value, suppressed FROM kpi_values WHERE covenant = ? "
                          "AND kpi = ? AND breakdown = 'total' AND members_submitted > 0 AND "
                          "year <= coalesce(?, year) ORDER BY year DESC LIMIT 1",
                          covenant, kpi, year)
        return found[0] if found else None

    def companies(self, kpi: str, year: int) -> list[tuple]:
        """Return each textile member's name, size class, value, numerator and denominator."""
        return self.rows("SELECT m.name, m.size_class, v.value, v.numerator, v.denominator "
                         "FROM kpi_company_values v JOIN members m USING (covenant, member_id) "
                         "WHERE v.covenant = 'textiel' AND v.kpi = ? AND v.year = ? "
                         "ORDER BY v.member_id", kpi, year)

    def submitted(self, covenant: str | None = None) -> list[tuple]:
        """Return per covenant and year the members bound and the members that submitted."""
        return self.rows(SUBMITTED, covenant, covenant)

    def audit(self) -> list[tuple]:
        """Return the audit log's times (UTC, ISO), events and users, newest first."""
        with sqlite3.connect(self.users) as conn:
            return conn.execute("SELECT at, event, username FROM audit "
                                "ORDER BY at DESC, id DESC").fetchall()


@dataclass(frozen=True)
class View:
    """What a page shows: texts inside elements, elements that are not there, the URL's state."""

    shown: tuple[tuple[str, str], ...]  # (CSS selector, text the element holds)
    gone: tuple[str, ...] = ()
    url: str = ""
    hidden: tuple[tuple[str, str], ...] = ()  # (CSS selector, text the element must not hold)


@dataclass(frozen=True)
class Plan:
    """A page for a role: where it opens, its view, the filter change and the view after it."""

    path: str
    before: View
    change: Callable
    after: View


def missing(driver, shown) -> list[str]:
    """Return the expected texts not shown, each with what its element holds instead."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    absent = []
    for selector, text in shown:
        try:
            found = [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]
        except StaleElementReferenceException:
            found = ["(redrawn)"]
        if not any(text in f for f in found):
            absent.append(f"{selector}: {text!r} not in {found!r}")
    return absent


def retried(action: Callable) -> Callable:
    """Return a user action that is tried again while the page redraws what it clicks."""
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        NoSuchElementException,
        StaleElementReferenceException,
        TimeoutException,
    )
    from selenium.webdriver.support.ui import WebDriverWait

    redrawn = (ElementClickInterceptedException, NoSuchElementException,
               StaleElementReferenceException, TimeoutException)

    @wraps(action)
    def run(*args) -> None:
        WebDriverWait(args[-1], 20, poll_frequency=0.1, ignored_exceptions=redrawn).until(
            lambda _: action(*args) or True)

    return run


# Filter changes, as a user makes them; the driver comes last, after what partial() fills in.
@retried
def choose(dropdown: str, label: str, driver) -> None:
    """Open a dropdown and click the option whose label starts with `label`."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, dropdown).click()
    # A searchable dropdown's search box lies over the top of a long list: type to narrow it.
    for box in driver.find_elements(By.CSS_SELECTOR, "input.dash-dropdown-search"):
        box.clear()
        box.send_keys(label)
    xpath = f"//*[@role='option'][starts-with(normalize-space(), '{label}')]"
    wait_for(driver, lambda d: d.find_element(By.XPATH, xpath), seconds=2).click()


@retried
def to_dutch(driver) -> None:
    """Click the header's language switch to Dutch."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".lang-switch a[title='Nederlands']").click()


@retried
def press(key: str, driver) -> None:
    """Press a key on the page."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.TAG_NAME, "body").send_keys(key)


@retried
def follow(link: str, driver) -> None:
    """Click a link of the page's filter links."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".filter-links").find_element(By.LINK_TEXT, link).click()


def decimal(value: float, lang: str) -> str:
    """Return a number with one decimal as the locale writes it: '66.7' or '66,7'."""
    text = f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def percent(value: float, lang: str) -> str:
    """Return a percentage as the locale writes it: '66.7%' or '66,7 %'."""
    return f"{decimal(value, lang)}%" if lang == "en" else f"{decimal(value, lang)} %"


def number(value: float, unit: str, lang: str) -> str:
    """Return a value of a unit as the locale writes it: '66.7%', '66,7 %', '1,234', '1.234'."""
    if unit == "percent":
        return percent(value, lang)
    text = f"{value:,.0f}"
    return text if lang == "en" else text.replace(",", ".")


def as_seen(value: tuple[float, bool], role: str, lang: str, *, covenant: str = "textiel",
            unit: str = "percent") -> str:
    """Return a value as a role sees it: shown, shown marked as suppressed, or 'suppressed'."""
    shown, suppressed = number(value[0], unit, lang), value[1]
    if not suppressed:
        return shown
    if covenant in COMPANY.get(role, set()):
        return f"{shown} ({SUPPRESSED[lang]})"
    return SUPPRESSED[lang]


def grid_row(grid: str, index: int) -> str:
    """Return the CSS selector of a row of a data grid."""
    return f"#{grid} .ag-center-cols-container .ag-row[row-index='{index}']"



def moment(iso: str, lang: str) -> str:
    """Return a time of the audit log (ISO, UTC) as the language writes it: '23/11/2026, 06:33'
    (en-GB) or '23-11-2026, 06:33' (nl-NL)."""
    year, month, day = iso[:10].split("-")
    sep = "/" if lang == "en" else "-"
    return f"{day}{sep}{month}{sep}{year}, {iso[11:16]}"
