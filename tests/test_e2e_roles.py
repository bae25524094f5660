"""End to end in headless Chromium: every page for every role, checked against the mart.

One `imvo serve` runs on the hand-worked input of tests/test_kpis.py plus textile 2017 files of
A, B and C, so the year filters have two years to switch between. Each role signs in once
through the form; its session cookie is kept and put back when its pages come round.

Every role × page case opens the page and waits for its main content, compares the numbers
shown with the mart's (read with hand-written SQL in tests/roles_support.py, formatted per
locale), changes the page's filter (year, KPI, covenant, language or key), checks the numbers
and the URL again, then opens the copied URL in a fresh page load and checks the same view.
After every view no company row and no suppressed value of a covenant the role has no company
rights for is on the page, and the browser console stays clean.
"""

from functools import partial

import pytest

from tests.auth_support import PASSWORD, add_accounts
from tests.browser_support import (
    body_text,
    chromium,
    require_browser,
    serving,
)
from tests.roles_support import (
    AUDIT_DENIED,
    COMPANY,
    COMPANY_DENIED,
    DISTRIBUTION_HIDDEN,
    OPENS,
    ROLES,
    UPLOAD_DENIED,
    UPLOAD_SCOPE,
    Mart,
    Plan,
    View,
    as_seen,
    build_mart,
    choose,
    decimal,
    follow,
    grid_row,
    leaks,
    missing,
    moment,
    number,
    percent,
    press,
    to_dutch,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_console")]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, defs):
    require_browser()
    data = tmp_path_factory.mktemp("roles")
    build_mart(data, defs)
    add_accounts(data / "users.sqlite")
    return data


@pytest.fixture(scope="module")
def site(data_dir):
    with serving(data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def mart(data_dir, defs):
    reading = Mart(data_dir, defs)
    yield reading
    reading.close()


@pytest.fixture(scope="module")
def browser(site):
    with chromium() as driver:
        yield driver


def _sign_in(driver, site: str, name: str) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{site}/auth/sign-in?lang=en")
    driver.find_element(By.ID, "auth-username").send_keys(name)
    driver.find_element(By.ID, "auth-password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.auth-form button").click()
    # The form's answer replaces the page while it is read: read again until it has come.
    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: f"Signed in as {name}" in body_text(d))


@pytest.fixture(scope="module")
def as_role(site, browser):
    """Return a switch to a role: its kept session cookie, or a sign-in the first time."""
    sessions: dict = {}

    def switch(role: str):
        if not browser.current_url.startswith(site):
            browser.get(f"{site}/auth/sign-in?lang=en")  # cookies are set on the site's pages
        browser.delete_all_cookies()
        if role in sessions:
            browser.add_cookie(sessions[role])
        elif role != "public":
            _sign_in(browser, site, role)
            sessions[role] = browser.get_cookie("imvo_session")
        return browser

    return switch


def see(driver, view: View, role: str) -> None:
    """Wait until the page shows the view, then check what it must not show."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    try:  # polled often: a page is drawn three times per case
        WebDriverWait(driver, 20, poll_frequency=0.1).until(
            lambda d: view.url in d.current_url and not missing(d, view.shown))
    except TimeoutException as exc:  # name what did not show, and what shows instead
        raise AssertionError(f"{driver.current_url} for {role}: "
                             f"{missing(driver, view.shown)}") from exc
    assert [s for s in view.gone if driver.find_elements(By.CSS_SELECTOR, s)] == []
    assert [(s, t) for s, t in view.hidden
            if any(t in e.text for e in driver.find_elements(By.CSS_SELECTOR, s))] == []
    assert leaks(body_text(driver), role, "\n".join(text for _, text in view.shown)) == []


def test_the_mart_holds_the_cases_the_pages_are_checked_on(mart):
    # tests/test_kpis.py: MSI 2018 2 of 3 answering members; 2017 (A, B, C) 1 of 3
    assert mart.value("msi_share", 2018) == (pytest.approx(100 * 2 / 3), False)
    assert mart.value("msi_share", 2017) == (pytest.approx(100 / 3), False)
    # certified 2018 70 / 220 rests for 86 % on two members; 2017 3 x 2 of 10, spread evenly
    assert mart.value("certified_share", 2018) == (pytest.approx(100 * 70 / 220), True)
    assert mart.value("certified_share", 2017) == (pytest.approx(20.0), False)
    # banks have 2 members: policy share 1 of 2 is suppressed
    assert mart.value("policy_share", 2018, covenant="banken") == (pytest.approx(50.0), True)


def refused(path: str, message: dict, data: str) -> Plan:
    """Return the plan of a page that refuses the role: no data, the reason in en, then nl."""
    return Plan(path, View(((".message-card", message["en"]),), (data,)), to_dutch,
                View(((".message-card", message["nl"]),), (data,), url="lang=nl"))


def rows(grid: str, lines: list[list[str]]) -> tuple[tuple[str, str], ...]:
    """Return the texts each row of a grid holds, one list of texts per row."""
    return tuple((grid_row(grid, i), text) for i, line in enumerate(lines) for text in line)


def cell(covenant: str, kpi: str) -> str:
    """Return the CSS selector of an overview cell's value link."""
    return f"a.cell-link[href^='/kpi/{covenant}/{kpi}?']"


# The overview's cells checked: a plain value, a suppressed one, of both covenants.
MATRIX = (("textiel", "msi_share"), ("textiel", "certified_share"),
          ("banken", "members_count"), ("banken", "policy_share"))


def overview(mart: Mart, role: str) -> Plan:
    """Plan the overview: latest values up to 2018, then up to 2017 chosen in the year list."""
    def view(year: int, url: str = "") -> View:
        shown, gone = [], []
        for covenant, kpi in MATRIX:
            latest = mart.latest(covenant, kpi, year)
            if latest is None:
                gone.append(cell(covenant, kpi))
                continue
            text = as_seen(latest[1:], role, "en", covenant=covenant, unit=mart.unit(kpi))
            shown.append((cell(covenant, kpi), f"{text} ({latest[0]})"))
        return View(tuple(shown), tuple(gone), url)

    return Plan("/?lang=en", view(2018), partial(choose, "overview-year", "2017"),
                view(2017, "year=2017"))


CHANGE = {"en": "+{} percentage points on last year", "nl": "+{} procentpunt t.o.v. vorig jaar"}


def covenant(mart: Mart, role: str) -> Plan:
    """Plan the textile page: KPI cards and the change on last year, in English then Dutch."""
    msi, certified = mart.value("msi_share", 2018), mart.value("certified_share", 2018)
    change = msi[0] - mart.value("msi_share", 2017)[0]

    def view(lang: str, url: str = "") -> View:
        return View((("#kpi-msi_share .kpi-value", f"{as_seen(msi, role, lang)} 2018"),
                     ("#kpi-msi_share .kpi-change", CHANGE[lang].format(decimal(change, lang))),
                     ("#kpi-certified_share .kpi-value", f"{as_seen(certified, role, lang)} 2018")),
                    url=url)

    return Plan("/covenant/textiel?lang=en", view("en"), to_dutch, view("nl", "lang=nl"))


def kpi(mart: Mart, role: str) -> Plan:
    """Plan a textile KPI: breakdown and companies in 2018, then in 2017 chosen in the list."""
    rights = "textiel" in COMPANY.get(role, set())

    def view(year: int, url: str = "") -> View:
        size = mart.value("certified_share", year, breakdown="size_class", category="large")
        shown = [("#kpi-breakdown-size_class", as_seen(size, role, "en"))]
        hidden = []
        for value, suppressed in mart.cells("certified_share", year, "material"):
            if suppressed and not rights:
                hidden.append(("#kpi-breakdown-material", percent(value, "en")))
            elif value:  # a bar of 0 has no room for its label
                shown.append(("#kpi-breakdown-material", as_seen((value, suppressed), role, "en")))
        if not rights:
            return View((*shown, (".note", DISTRIBUTION_HIDDEN["en"])), ("#kpi-companies",), url,
                        tuple(hidden))
        companies = mart.companies("certified_share", year)
        lines = [["\n".join([name, size_class, *(f"{n:g}" for n in numbers if n is not None)])]
                 for name, size_class, *numbers in companies]
        return View((*shown, *rows("kpi-companies", lines)),
                    (grid_row("kpi-companies", len(lines)),), url)

    return Plan("/kpi/textiel/certified_share?lang=en", view(2018),
                partial(choose, "kpi-year", "2017"), view(2017, "year=2017"))


def compare(mart: Mart, role: str) -> Plan:
    """Plan Compare: the ranking of members per covenant, then of certified raw materials."""
    def rank(covenant: str) -> str:
        return f"tr[data-covenant='{covenant}']"

    members = [(f"{rank(c)} .rank-value", number(mart.latest(c, "members_count")[1], "count",
                                                  "en")) for c in ("textiel", "banken")]
    certified = as_seen(mart.latest("textiel", "certified_share")[1:], role, "en")
    return Plan("/compare?kpi=members_count&axis=calendar&lang=en", View(tuple(members)),
                partial(choose, "compare-kpi", "Share of sustainably certified raw materials"),
                View(((f"{rank('textiel')} .rank-value", certified),), (rank("banken"),),
                     url="kpi=certified_share"))


def projector(mart: Mart, role: str) -> Plan:
    """Plan projector mode: one textile KPI, then the next one by the arrow key."""
    from selenium.webdriver.common.keys import Keys

    order = mart.defs.covenants["textiel"].kpis
    at, following = order.index("msi_share"), order[order.index("msi_share") + 1]

    def view(kpi: str, url: str = "") -> View:
        value = as_seen(mart.value(kpi, 2018), role, "en", unit=mart.unit(kpi))
        return View(((".projector-value", f"{value} 2018"),
                     ("#projector-position", f"KPI {order.index(kpi) + 1} of {len(order)}")),
                    url=url)

    return Plan(f"/projector/textiel?kpi={order[at]}&lang=en", view(order[at]),
                partial(press, Keys.ARROW_RIGHT), view(following, f"kpi={following}"))


def submitted_row(row: tuple, lang: str) -> str:
    """Return a row of the submissions grid: covenant, year, bound, submitted and coverage."""
    covenant, year, bound, sent = row
    # coverage = submitted / bound, written as the page's language writes a percentage
    coverage = f"\n{percent(100 * sent / bound, lang)}" if bound else ""
    return f"{covenant}\n{year}\n{bound}\n{sent}{coverage}"


def quality(mart: Mart, role: str) -> Plan:
    """Plan data quality: submissions per covenant and year, then in Dutch or one covenant."""
    if role not in OPENS["quality"]:
        return refused("/quality?lang=en", COMPANY_DENIED, "#quality-submissions")

    def view(covenant: str, url: str = "", *more, lang: str = "en") -> View:
        lines = [[submitted_row(row, lang)] for row in mart.submitted(covenant)]
        return View((*rows("quality-submissions", lines), *more),
                    (grid_row("quality-submissions", len(lines)),), url)

    textile = view("textiel", "lang=nl", ("#quality-submissions", "Gebonden leden"), lang="nl")
    if role != "admin":
        return Plan("/quality?lang=en", view("textiel"), to_dutch, textile)
    # All covenants (the grid draws only the rows in view: the first ten are checked), then
    # the textile ones only.
    every = mart.submitted()
    first = [[submitted_row(row, "en")] for row in every[:10]]
    return Plan("/quality?lang=en",
                View((*rows("quality-submissions", first),
                      ("#quality-submissions .ag-paging-row-summary-panel", f"of {len(every)}"))),
                partial(follow, "textiel"), view("textiel", "covenant=textiel"))


def member(mart: Mart, role: str) -> Plan:
    """Plan member B's page: its versions and files, then in Dutch."""
    if role not in OPENS["member"]:
        return refused("/member/textiel/B?lang=en", COMPANY_DENIED, "#member-history")
    history = [[f"{year}\n{version}", name] for year, version, name in mart.rows(
        "SELECT s.year, s.version, f.file_name FROM submissions s JOIN files f "
        "ON f.sha256 = s.file_sha256 WHERE s.covenant = 'textiel' AND s.member_id = 'B' "
        "ORDER BY s.year DESC, s.version DESC")]
    gone = (grid_row("member-history", len(history)),)
    return Plan("/member/textiel/B?lang=en", View(rows("member-history", history), gone),
                to_dutch, View((*rows("member-history", history),
                                (".member h2", "Inleveringen van dit lid")), gone, "lang=nl"))


def upload(mart: Mart, role: str) -> Plan:
    """Plan the upload page: for whom the role uploads, then in Dutch."""
    if role not in OPENS["upload"]:
        return refused("/upload?lang=en", UPLOAD_DENIED, "#upload-files")
    scope = UPLOAD_SCOPE[role]
    return Plan("/upload?lang=en", View((("#upload-body", scope["en"]),)), to_dutch,
                View((("#upload-body", scope["nl"]),), url="lang=nl"))


def audit(mart: Mart, role: str) -> Plan:
    """Plan the audit log: its entries, newest first, then in Dutch."""
    if role not in OPENS["audit"]:
        return refused("/audit?lang=en", AUDIT_DENIED, "#audit-log")
    def entries(lang: str) -> list[list[str]]:
        return [[f"{moment(at, lang)}\n{event}\n{user}"] for at, event, user in mart.audit()]

    gone = (grid_row("audit-log", len(entries("en"))),)
    return Plan("/audit?lang=en", View(rows("audit-log", entries("en")), gone), to_dutch,
                View((*rows("audit-log", entries("nl")), ("#audit-log", "Gebeurtenis")), gone,
                     "lang=nl"))


# Every page of the dashboard (not the 404 card) with the plan of what it shows each role.
PAGES = {"overview": overview, "covenant": covenant, "kpi": kpi, "compare": compare,
         "projector": projector, "quality": quality, "member": member, "upload": upload,
         "audit": audit}


@pytest.mark.parametrize(("role", "page"), [(r, p) for r in ROLES for p in PAGES],
                         ids=[f"{r}-{p}" for r in ROLES for p in PAGES])
def test_page_shows_the_roles_numbers_follows_its_filter_and_round_trips(
        site, mart, as_role, role, page):
    browser = as_role(role)
    plan = PAGES[page](mart, role)
    browser.get(f"{site}{plan.path}")
    see(browser, plan.before, role)
    plan.change(browser)
    see(browser, plan.after, role)
    copied = browser.current_url
    browser.get("about:blank")
    browser.get(copied)
    see(browser, plan.after, role)


# A covenant-bound role sees another covenant's aggregates as the public does.
ELSEWHERE = {
    "steering-textiel": ("/covenant/banken?lang=en", View(
        (("#kpi-policy_share .kpi-value", "suppressed 2018"),))),
    "commission-textiel covenant": ("/covenant/banken?lang=en", View(
        (("#kpi-policy_share .kpi-value", "suppressed 2018"),))),
    "commission-textiel quality": ("/quality?covenant=banken&lang=en", View(
        ((".message-card", COMPANY_DENIED["en"]),), ("#quality-submissions",))),
    "commission-textiel member": ("/member/banken/K1?lang=en", View(
        ((".message-card", COMPANY_DENIED["en"]),), ("#member-history",))),
    "commission-textiel kpi": ("/kpi/banken/assets_covered_share?lang=en", View(
        ((".note", DISTRIBUTION_HIDDEN["en"]),), ("#kpi-companies",))),
}


@pytest.mark.parametrize("case", ELSEWHERE)
def test_a_covenant_role_sees_no_more_of_another_covenant_than_the_public(site, as_role,
                                                                         case):
    role = case.split()[0]
    path, view = ELSEWHERE[case]
    browser = as_role(role)
    browser.get(f"{site}{path}")
    see(browser, view, role)
