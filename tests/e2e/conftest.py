"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server."""

import os
import time
from pathlib import Path

import pytest

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).parent / "screenshots"
SESSION_STARTED = time.time()
CHROMIUM = os.environ.get("OBSERVATORY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="es-GT")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(page, live_server):
    """Log a factory user in through the login form and wait for the page asked for."""

    def go(user, *, next_path: str, wait_ms: int = 30_000) -> None:
        page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form.stacked button[type=submit]")
        page.wait_for_url(f"{live_server.url}{next_path}", timeout=wait_ms)

    return go


def watch_errors(page) -> list[str]:
    """The console errors and uncaught exceptions of a page, as they happen."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def english_context(browser, live_server):
    """A laptop-sized browser whose reader chose English with the language switch."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return context


def pytest_terminal_summary(terminalreporter):
    """The screenshots this run saved, by path, at the end of its output: to be looked at before a page is called
    done."""
    saved = sorted(path for path in SCREENSHOTS.rglob("*.png") if path.stat().st_mtime >= SESSION_STARTED)
    if saved:
        terminalreporter.write_sep("-", f"{len(saved)} screenshots saved by the browser tests")
        for path in saved:
            terminalreporter.write_line(str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path))
