"""Fixtures for tests/models: one BLAS thread (small matrices on shared cores run faster without threads)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="session")
def _single_blas_thread() -> Iterator[None]:
    with threadpool_limits(limits=1):
        yield
