"""Window tests never block on a question box: a test that expects one answers it itself."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_unexpected_questions(monkeypatch):
    """An unexpected "move the status date on?" question fails the test instead of hanging it."""
    from ui import editors

    def unexpected(actual, status):
        raise AssertionError(f"unexpected question: move the status date from {status} to {actual}?")

    monkeypatch.setattr(editors, "confirm_later_actual", unexpected)
