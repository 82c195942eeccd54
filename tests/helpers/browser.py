"""Helpers for the browser tests (tests/browser): wait for Streamlit's reruns, check that a page shows no error,
and drive the widgets whose DOM is not a plain input (react-aria selectboxes and date fields, the Ace editor)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Frame, Locator, Page, expect

SETTLE_MS = 90_000  # a page's first run can load the embedder or build the tutor
ERROR_PAGE = "Cette page a rencontré un problème"  # common.error_page: the error boundary's sentence


def settle(page: Page, timeout: int = SETTLE_MS) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_timeout(300)  # a click's rerun may not have started yet
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def assert_no_error(page: Page, where: str) -> None:
    """No Streamlit exception box, no traceback and no error-boundary message on the page."""
    assert page.locator("[data-testid='stException']").count() == 0, f"{where}: an exception is shown"
    body = page.locator("body").inner_text()
    assert "Traceback" not in body, f"{where}: a traceback is shown"
    assert ERROR_PAGE not in body, f"{where}: the page failed (error boundary)"


def open_page(page: Page, app_url: str, path: str, title: str) -> None:
    """Open ``app_url/path`` and wait for its (French) title."""
    page.goto(f"{app_url}/{path}")
    settle(page)
    expect(page.locator("h1").first).to_contain_text(title, timeout=SETTLE_MS)
    assert_no_error(page, path)


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (a react-aria combobox) and wait for the rerun."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def type_date(page: Page, label: str, day: str) -> None:
    """Type ``day`` (``DD/MM/YYYY``) into the date field labelled ``label``: its day, month and year segments."""
    page.get_by_role("spinbutton", name=f"day, {label}").first.click()
    page.keyboard.type(day.replace("/", ""))
    page.keyboard.press("Tab")


def alerts(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("[data-testid='stAlert']").all_inner_texts()]


def editor_frame(page: Page) -> Frame:
    """The frame of the ``streamlit-code-editor`` component (Ace), once its editor is drawn."""
    page.frame_locator("iframe[title='code_editor.code_editor']").locator("#REACT_ACE_EDITOR .ace_content").wait_for(
        timeout=SETTLE_MS)
    return next(f for f in page.frames if "code_editor.code_editor" in f.url)


def editor_text(frame: Frame) -> str:
    return str(frame.evaluate("ace.edit('REACT_ACE_EDITOR').getValue()"))


def screenshot(page: Page, path: Path, focus: Locator | None = None) -> None:
    """Save a screenshot of the page, scrolled to ``focus`` (Streamlit scrolls its main area, not the page, so a
    full-page shot holds only the viewport)."""
    if focus is not None:
        focus.first.scroll_into_view_if_needed()
    page.screenshot(path=str(path), full_page=True)
