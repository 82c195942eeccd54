"""The app in a real browser, as a learner clicks through it: every page opens without an error, and the chat keeps
its conversations across a reload (new, rename, delete; a blank message is not sent)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import assert_no_error, settle

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def sidebar_pages(page: Page, app_url: str) -> list[tuple[str, str]]:
    page.goto(app_url)
    settle(page)
    links = page.locator("[data-testid='stSidebarNav'] a")
    expect(links.first).to_be_visible()
    found = [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href") or "")
             for i in range(links.count())]
    assert len(found) >= 5, found
    return found


def test_every_page_opens_without_an_error(page: Page, app_url: str, artifacts: Path) -> None:
    for title, href in sidebar_pages(page, app_url):
        page.goto(href if href.startswith("http") else app_url + "/" + href.lstrip("/"))
        settle(page)
        expect(page.locator("h1").first).to_be_visible()
        assert_no_error(page, title)
        slug = re.sub(r"[^a-z0-9]+", "-", urlparse(href).path.lower()).strip("-") or "home"
        page.screenshot(path=str(artifacts / f"page-{slug}.png"), full_page=True)


def chat(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/chat")
    settle(page)
    expect(page.locator("[data-testid='stChatInput'] textarea")).to_be_visible()


def send(page: Page, text: str) -> None:
    box = page.locator("[data-testid='stChatInput'] textarea")
    box.fill(text)
    box.press("Enter")
    settle(page)


def conversation_titles(page: Page) -> list[str]:
    radio = page.locator("[data-testid='stSidebar'] [role='radiogroup'] label")
    return [radio.nth(i).inner_text().strip() for i in range(radio.count())]


def settled_titles(page: Page, tries: int = 20) -> list[str]:
    """The sidebar's conversations once two reads half a second apart agree (on a loaded machine the list can
    appear after the first run has been seen to finish)."""
    titles = conversation_titles(page)
    for _ in range(tries):
        page.wait_for_timeout(500)
        again = conversation_titles(page)
        if again == titles:
            return titles
        titles = again
    return titles


def test_a_chat_survives_a_reload(page: Page, app_url: str, artifacts: Path) -> None:
    chat(page, app_url)
    page.get_by_role("button", name="Nouvelle conversation").click()
    settle(page)
    send(page, "où en suis-je ?")
    messages = page.locator("[data-testid='stChatMessage']")
    expect(messages).to_have_count(2)
    expect(messages.nth(1)).to_contain_text("Progression dans la roadmap")
    answer = messages.nth(1).locator("[data-testid='stMarkdownContainer']").first.inner_text()
    assert answer.strip()
    assert "où en suis-je ?" in conversation_titles(page)
    assert_no_error(page, "chat")
    page.screenshot(path=str(artifacts / "chat-answer.png"), full_page=True)

    page.reload()
    settle(page)
    assert conversation_titles(page)[0] == "où en suis-je ?"  # the most recent conversation is shown again
    expect(messages).to_have_count(2)
    expect(messages.nth(0)).to_contain_text("où en suis-je ?")
    expect(messages.nth(1)).to_contain_text(answer.strip().splitlines()[0])
    page.get_by_text("Détails techniques (JSON)").first.click()  # the raw JSON is one click away
    expect(page.locator("[data-testid='stJson']").first).to_be_visible()
    assert_no_error(page, "chat after reload")


def test_new_rename_and_delete_a_conversation(page: Page, app_url: str, artifacts: Path) -> None:
    chat(page, app_url)
    page.get_by_role("button", name="Nouvelle conversation").click()
    settle(page)
    expect(page.locator("[data-testid='stChatMessage']")).to_have_count(0)
    send(page, "Qu'est-ce que je dois étudier ensuite ?")
    expect(page.locator("[data-testid='stChatMessage']")).to_have_count(2)
    before = conversation_titles(page)
    assert before[0] == "Qu'est-ce que je dois étudier ensuite ?"

    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Renommer ou supprimer").click()
    title = sidebar.get_by_label("Titre de la conversation")
    title.fill("Mon plan de la semaine")
    title.press("Enter")
    settle(page)
    sidebar.get_by_role("button", name="Renommer", exact=True).click()
    settle(page)
    expect(sidebar.get_by_text("Mon plan de la semaine").first).to_be_visible()
    assert conversation_titles(page)[0] == "Mon plan de la semaine"

    if not sidebar.get_by_role("button", name="Supprimer la conversation").is_visible():
        sidebar.get_by_text("Renommer ou supprimer").click()
    sidebar.get_by_role("button", name="Supprimer la conversation").click()
    settle(page)
    expect(sidebar.get_by_text("Supprimer « Mon plan de la semaine »")).to_be_visible()
    page.screenshot(path=str(artifacts / "chat-delete-confirm.png"), full_page=True)
    sidebar.get_by_role("button", name="Oui, supprimer").click()
    settle(page)
    assert "Mon plan de la semaine" not in conversation_titles(page)
    assert len(conversation_titles(page)) == len(before) - 1
    assert_no_error(page, "chat after delete")


def test_a_blank_message_is_not_sent(page: Page, app_url: str) -> None:
    chat(page, app_url)
    titles = settled_titles(page)
    count = page.locator("[data-testid='stChatMessage']").count()
    send(page, "    ")
    expect(page.get_by_text("Ton message est vide")).to_be_visible()
    expect(page.locator("[data-testid='stChatMessage']")).to_have_count(count)
    assert conversation_titles(page) == titles
    assert_no_error(page, "chat, blank message")
