"""The pages' error boundary: a page that fails shows one French sentence with a short id; the trace goes to the
log under that id. Streamlit's own control flow (``st.rerun()``, ``st.stop()``, a page switch) raises
``ScriptControlException`` subclasses, which derive from ``BaseException`` and pass through untouched."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import streamlit as st

from app.i18n import t

log = logging.getLogger("app.pages")


def run_guarded(page: Callable[[], object]) -> str | None:
    """Run ``page``; on an error show ``common.error_page`` and return the error id (``None`` when it ran)."""
    try:
        page()
    except Exception:  # StopException / RerunException are BaseException: never caught here
        error_id = uuid.uuid4().hex[:8]
        log.exception("page failed [error id %s]", error_id)
        st.error(t("common.error_page", id=error_id))
        return error_id
    return None
