"""Serving a warehouse with `imvo serve` and driving headless Chromium, for end-to-end tests."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1400,1000")


def require_browser() -> None:
    """Skip loudly where Chromium is missing; fail instead on CI, where it must be there."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    reason = ("Chromium missing: install the Debian packages chromium and chromium-driver "
              "(make browser) to run the end-to-end tests")
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(f"!!! SKIPPED: {reason}")


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Return once a started server answers at a URL; raise if it stops or keeps silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"imvo serve stopped: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {seconds} s")


@contextmanager
def serving(data_dir: Path, *options: str) -> Iterator[str]:
    """Run `imvo serve [options]` on a data folder's warehouse; yield its base URL, then stop."""
    port = free_port()
    # A fresh key signs this server's session cookies, unless the environment brings one.
    env = {"IMVO_SECRET_KEY": secrets.token_hex(32), **os.environ,
           "IMVO_DATA_DIR": str(data_dir), "IMVO_PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "imvo", "serve", *options], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:  # gunicorn lets running requests finish first; a busy machine may take a while
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def chromium(downloads: Path | None = None) -> Iterator[object]:
    """Start headless Chromium that keeps the browser console's messages; quit it afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    if downloads is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver, condition, seconds: float = 20):
    """Return the condition's first truthy value, polled in the browser until it comes."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # A page being redrawn replaces the elements a condition reads: read again on the next poll.
    return WebDriverWait(driver, seconds,
                         ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def body_text(driver) -> str:
    """Return the visible text of the page."""
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.TAG_NAME, "body").text)


def open_and_find(driver, url: str, text: str) -> str:
    """Open a URL, wait until the text shows, and return the page's visible text."""
    driver.get(url)
    wait_for(driver, lambda d: text in body_text(d))
    return body_text(driver)


def console_errors(driver) -> list[dict]:
    """Return the browser console's errors since the last call."""
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def router_body(path: str, search: str = "") -> dict[str, object]:
    """Return the Dash request that renders a page (its path and query), as a browser sends it."""
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
