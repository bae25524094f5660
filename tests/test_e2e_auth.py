"""End to end in headless Chromium: sign in, see what the role may see, upload, sign out.

`imvo serve` (gunicorn) runs on the hand-worked input plus a hostile member whose id, name and
values hold Markdown links, an image tag with an onerror handler and script tags: in the
quarantine grid, the member page and the upload's feedback they must stay text (an injected
handler would open an alert, which makes every later browser command fail).
"""

import pytest

from tests.auth_support import (
    EVIL_VALUE,
    PASSWORD,
    add_accounts,
    tiny_warehouse,
)
from tests.browser_support import (
    body_text,
    chromium,
    console_errors,
    open_and_find,
    require_browser,
    serving,
    wait_for,
)
from tests.conftest import mat, site, write_csv_submission

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, defs):
    require_browser()
    data = tmp_path_factory.mktemp("data")
    tiny_warehouse(data, defs, hostile=True)
    add_accounts(data / "users.sqlite")
    with serving(data) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def _sign_in(driver, url: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    open_and_find(driver, f"{url}/?lang=en", "Sign in")
    driver.find_element(By.ID, "account-sign-in").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, "auth-username"))
    driver.find_element(By.ID, "auth-username").send_keys(name)
    driver.find_element(By.ID, "auth-password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.auth-form button").click()
    wait_for(driver, lambda d: f"Signed in as {name}" in _text(d))


def _sign_out(driver) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "account-sign-out").click()
    wait_for(driver, lambda d: "Signed in as" not in _text(d) and "Sign in" in _text(d))


def _text(driver) -> str:
    """Return the page's text, or '' while a form's answer replaces the page."""
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        return body_text(driver)
    except StaleElementReferenceException:
        return ""


def _injected(driver) -> int:
    """Return how many elements the hostile input would have added, had it become markup."""
    return int(driver.execute_script(
        "return document.querySelectorAll('img[src=\"x\"], a[href^=\"https://evil\"]').length"
        " + [...document.scripts].filter(s => s.textContent.includes('alert(')).length"))


def test_a_wrong_password_keeps_the_public_view(site_url, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/auth/sign-in?lang=en")
    browser.find_element(By.ID, "auth-username").send_keys("admin")
    browser.find_element(By.ID, "auth-password").send_keys("not the password")
    browser.find_element(By.CSS_SELECTOR, "form.auth-form button").click()
    wait_for(browser, lambda d: "Unknown user name or wrong password." in body_text(d))
    # The refused sign-in answers 401, which the console lists as a failed resource.
    assert [e["message"].split(" - ")[0] for e in console_errors(browser)] == [
        f"{site_url}/auth/sign-in?lang=en"]
    text = open_and_find(browser, f"{site_url}/quality?lang=en", "Data quality")
    assert "monitoring commission and secretariat" in text and EVIL_VALUE not in text


def test_the_commission_sees_hostile_values_as_text(site_url, browser):
    from selenium.webdriver.common.by import By

    _sign_in(browser, site_url, "commission-textiel")
    open_and_find(browser, f"{site_url}/quality?lang=en", EVIL_VALUE)
    assert _injected(browser) == 0
    links = browser.find_elements(By.CSS_SELECTOR, "#quality-quarantine a")
    assert links and all(a.get_attribute("href").startswith(f"{site_url}/member/textiel/")
                          for a in links)
    next(a for a in links if "evil" in a.text).click()
    wait_for(browser, lambda d: "Member x](https://evil.example/)[<img" in body_text(d))
    wait_for(browser, lambda d: EVIL_VALUE in body_text(d))
    assert _injected(browser) == 0
    assert console_errors(browser) == []
    _sign_out(browser)


def test_the_secretariat_uploads_a_file_and_reads_its_feedback(site_url, browser, tmp_path):
    from selenium.webdriver.common.by import By

    path = write_csv_submission(
        tmp_path / "E.csv", "textiel", 2018, "E",
        answers={"msi_member": "ja", "dd_report_published": "ja", "market_share_pct": "1 %"},
        sites=[site("E1", "BD", 40, 4, "ja", 1, 0, 0, "ja")], materials=[mat("cotton", 5, 1)])
    _sign_in(browser, site_url, "commission-textiel")
    browser.find_element(By.LINK_TEXT, "Upload").click()
    wait_for(browser, lambda d: "Upload self-assessments" in body_text(d))
    browser.find_element(By.CSS_SELECTOR, "#upload-files input[type=file]").send_keys(str(path))
    wait_for(browser, lambda d: "E.csv: Accepted" in body_text(d), seconds=90)
    report = browser.find_element(By.LINK_TEXT, "Feedback report").get_attribute("href")
    browser.get(report)
    wait_for(browser, lambda d: "Feedback on your self-assessment" in body_text(d))
    browser.get(f"{site_url}/?lang=en")
    wait_for(browser, lambda d: "Signed in as" in body_text(d))
    assert console_errors(browser) == []
    _sign_out(browser)


def test_an_upload_above_the_callback_limit_arrives_and_says_why_it_is_not_read(
        site_url, browser, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "notes.txt"
    path.write_bytes(b"x" * (2 * 2**20))  # above the 1 MB of other callbacks
    _sign_in(browser, site_url, "commission-textiel")
    browser.find_element(By.LINK_TEXT, "Upload").click()
    wait_for(browser, lambda d: "Upload self-assessments" in body_text(d))
    browser.find_element(By.CSS_SELECTOR, "#upload-files input[type=file]").send_keys(str(path))
    wait_for(browser, lambda d: "notes.txt: Not accepted" in body_text(d), seconds=90)
    assert "Files of type '.txt' cannot be read." in body_text(browser)
    assert console_errors(browser) == []
    _sign_out(browser)


def test_the_public_cannot_reach_the_upload_or_the_audit_log(site_url, browser):
    text = open_and_find(browser, f"{site_url}/upload?lang=en", "Upload self-assessments")
    assert "Uploading is for the secretariat" in text
    text = open_and_find(browser, f"{site_url}/audit?lang=en", "Audit log")
    assert "The audit log is for administrators only." in text


def test_the_admin_reads_the_audit_log(site_url, browser):
    _sign_in(browser, site_url, "admin")
    text = open_and_find(browser, f"{site_url}/audit?lang=en", "sign_in_failed")
    assert "commission-textiel" in text and "upload" in text
    assert console_errors(browser) == []
    _sign_out(browser)
