"""Every learner-visible string lives in app/i18n/{fr,en}.toml: the keys used in app/ exist in French, English has
the same keys, and the two languages fill the same fields. The language setting and the sidebar switch work."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import LANGUAGES, strings, t

APP = Path(__file__).resolve().parents[2] / "app"
# t("section.key" ...), t(f"section.prefix_{x}" ...), t("section.prefix_" + x)
LITERAL = re.compile(r"""\bt\(\s*(f?)(["'])(.*?)\2(\s*\+)?""")


def _used_keys() -> tuple[set[str], set[str]]:
    """(literal keys, prefixes of computed keys) used with t() in app/."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in APP.rglob("*.py"):
        if path.parent.name == "i18n":  # the module that defines t(), with examples in its docstring
            continue
        text = path.read_text(encoding="utf-8")
        for fstring, _, body, plus in LITERAL.findall(text):
            if fstring and "{" in body:
                prefixes.add(body.split("{", 1)[0])
            elif plus:
                prefixes.add(body)
            else:
                keys.add(body)
    return keys, prefixes


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_used_in_app_exists_in_french() -> None:
    keys, prefixes = _used_keys()
    assert len(keys) > 200  # the pages really go through t()
    fr = strings("fr")
    assert sorted(k for k in keys if k not in fr) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in fr)) == []


def test_english_has_the_same_keys_and_fields_as_french() -> None:
    fr, en = strings("fr"), strings("en")
    assert sorted(set(fr) - set(en)) == [] and sorted(set(en) - set(fr)) == []
    assert {k: _fields(v) for k, v in fr.items()} == {k: _fields(v) for k, v in en.items()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_formats(language: str) -> None:
    for key, text in strings(language).items():  # type: ignore[arg-type]
        assert text.format(**dict.fromkeys(_fields(text), "x")), key


def test_ui_language_setting_and_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.config import get_settings

    assert get_settings().ui_language == "fr" and t("nav.roadmap") == "Feuille de route"
    monkeypatch.setenv("QT_UI_LANGUAGE", "en")
    get_settings.cache_clear()
    assert get_settings().ui_language == "en" and t("nav.roadmap") == "Roadmap"
    assert t("figures.zone_yellow", language="fr") == "jaune"
    assert t("no.such_key") == "no.such_key"


def test_the_sidebar_switches_the_app_to_english() -> None:
    at = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "☀️ Aujourd'hui"
    assert at.sidebar.selectbox(key="ui_language").value == "fr"
    at.sidebar.selectbox(key="ui_language").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "☀️ Today"
    at.switch_page("app_pages/finance_lab.py").run()
    assert not at.exception and at.title[0].value == "Finance lab"
    from knowledge.config import get_settings

    assert 'ui_language = "en"' in (get_settings().home / "quant-tutor.toml").read_text(encoding="utf-8")
    again = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=120).run()  # a new session, reload
    assert again.title[0].value == "☀️ Today" and again.sidebar.selectbox(key="ui_language").value == "en"


@pytest.mark.parametrize(("page", "title"), [
    ("today.py", "☀️ Today"), ("knowledge.py", "📚 Library"), ("roadmap.py", "Roadmap"),
    ("study_plan.py", "Study plan"), ("exercises.py", "Exercises"), ("model_lab.py", "Model lab"),
    ("finance_lab.py", "Finance lab"), ("model.py", "🤖 Model"),
])
def test_each_page_renders_in_english(page: str, title: str) -> None:
    at = AppTest.from_file(str(APP / "app_pages" / page), default_timeout=120)
    at.session_state["ui_language"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == title
