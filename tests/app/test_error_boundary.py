"""One error boundary around every page: a failing page shows a French sentence with a short id and logs the trace
under that id; st.rerun() and st.stop() pass through it."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROUTER = str(Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py")


def test_a_failing_page_shows_a_french_message_with_an_id(monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    import knowledge.learning.today

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("planted bug")

    monkeypatch.setattr(knowledge.learning.today, "today_summary", broken)
    with caplog.at_level(logging.ERROR, logger="app.pages"):
        at = AppTest.from_file(ROUTER, default_timeout=120).run()
    assert not at.exception  # no traceback on the page
    message = at.error[0].value
    found = re.fullmatch(r"Cette page a rencontré un problème\. Recharge-la ; si ça recommence, signale "
                         r"l'identifiant ([0-9a-f]{8})\.", message)
    assert found, message
    record = next(r for r in caplog.records if found.group(1) in r.getMessage())
    assert record.exc_info is not None and "planted bug" in str(record.exc_info[1])
    assert not any("planted bug" in e.value for e in at.error)
    assert at.sidebar.selectbox(key="ui_language").value == "fr"  # the rest of the app still works


def test_rerun_and_stop_pass_through_the_boundary() -> None:
    def script() -> None:
        import streamlit as st

        from app.guard import run_guarded

        def page() -> None:
            st.session_state.setdefault("runs", 0)
            st.session_state["runs"] += 1
            if st.session_state["runs"] < 3:
                st.rerun()
            st.write(f"runs: {st.session_state['runs']}")
            st.stop()

        run_guarded(page)
        st.write("after the page")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == ["runs: 3"]  # two reruns, then a stop: nothing after the page
