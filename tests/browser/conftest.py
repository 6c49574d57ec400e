"""Browser fixtures: the real sample library built once per session, served on 127.0.0.1,
and one headless Debian Chromium driven by Playwright (sync API).

The tests run for real whenever /usr/bin/chromium exists; when it does not, every browser
test fails with the command that installs it (CI installs it: .ci/run, `make browser`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sample_site import REPO_ROOT, SiteServer, build_sample, built_sample, sample_with_new_version
from support_browser import CHROMIUM, LAUNCH_ARGS, PHONE, VIEWPORT, SampleSite


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleSite]:
    """`mkdocs build --strict` of the sample at one commit, served until the session ends."""
    repo = built_sample(tmp_path_factory.mktemp("browser-sample") / "northwind")
    server = SiteServer(repo.site)
    try:
        yield SampleSite(repo, server.url)
    finally:
        server.close()


@pytest.fixture(scope="session")
def versioned_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleSite]:
    """The sample at two commits (PRO-INC-002 2.0, then 2.1): past-version and changes pages exist."""
    repo = sample_with_new_version(tmp_path_factory.mktemp("browser-versioned") / "northwind")
    result = build_sample(repo)
    assert result.returncode == 0, f"mkdocs build --strict of the versioned sample failed:\n{result.output}"
    server = SiteServer(repo.site)
    try:
        yield SampleSite(repo, server.url)
    finally:
        server.close()


@pytest.fixture(scope="session")
def chromium_browser():  # noqa: ANN201 - playwright's Browser, imported lazily
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Install it with `sudo apt-get install -y chromium` (CI does: .ci/run, `make browser`).",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - a broken environment
        pytest.fail(f"Playwright for Python is not installed ({exc}): pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(chromium_browser, sample_site: SampleSite):  # noqa: ANN001, ANN201
    """A fresh browser context (no cache, no storage) whose relative URLs go to the sample."""
    context = chromium_browser.new_context(viewport=VIEWPORT, base_url=sample_site.url)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def phone(chromium_browser):  # noqa: ANN001, ANN201
    """A page in a fresh context as wide as a small phone (360 CSS pixels)."""
    context = chromium_browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(context):  # noqa: ANN001, ANN201
    return context.new_page()


@pytest.fixture
def js_errors(page) -> list[str]:  # noqa: ANN001
    """Every uncaught script error of `page`, from the moment the test starts."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the repository root (ignored by git)."""
    folder = REPO_ROOT / "test-artifacts"
    (folder / "screenshots").mkdir(parents=True, exist_ok=True)
    return folder
