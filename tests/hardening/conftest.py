"""The hardening tests share the fixtures of tests/conftest.py; this only declares their marker."""

from __future__ import annotations


def pytest_configure(config) -> None:  # noqa: ANN001
    config.addinivalue_line("markers", "slow: takes more than a minute (deselect with -m 'not slow')")
