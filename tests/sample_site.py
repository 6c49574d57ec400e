"""The real sample library, copied into a temporary git repository, built and served.

Shared by the site tests (tests/test_site_pages.py) and the browser tests (tests/browser/):

- `sample_repo(root, options)` copies mkdocs.yml, content/ and the three library folders of
  this repository into `root` (optionally with `sms-docs` options in mkdocs.yml), runs
  `git init` and makes one commit with a fixed date.
- `build_sample(repo)` runs a real `mkdocs build --strict` with SOURCE_DATE_EPOCH fixed.
- `SiteServer(folder)` serves a built site with the standard library's ThreadingHTTPServer
  on 127.0.0.1 and a free port, in a thread, until `close()`.
"""

from __future__ import annotations

import functools
import gzip
import re
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from support import Completed, LibraryRepo, copy_tree

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ("mkdocs.yml", "content", "policies", "processes", "procedures")

# The sample's documents were approved up to 2026-11-30; the build's "today" lies after all of
# them, so no banner depends on the day the suite runs.
SAMPLE_EPOCH = "1796083200"  # 2026-12-01 00:00 UTC
SAMPLE_TODAY = datetime.fromtimestamp(int(SAMPLE_EPOCH), UTC).date()
SAMPLE_COMMIT_DATE = "2026-11-20T10:00:00+00:00"

RETIRED_MARKER = "RETIRED-SAMPLE-MARKER"
RESTRICTED_MARKER = "RESTRICTED-SAMPLE-MARKER"

# The special documents of the sample, by id: source file and built page folder.
RETIRED_ID = "PRO-INC-009"
RETIRED_SOURCE = "procedures/incident/pro-inc-009-escalate-by-fax.md"
RESTRICTED_ID = "PRO-ISM-003"
RESTRICTED_SOURCE = "procedures/security/pro-ism-003-handle-a-suspected-data-breach.md"
DRAFT_ID = "PRO-PRB-003"
DRAFT_SOURCE = "procedures/problem/pro-prb-003-analyse-incident-trends.md"
# Words that occur in the body of exactly one sample document and nowhere else in the
# library or the user guides (checked by test_site_pages against the sources).
ONLY_IN_RETIRED = ("transmission", "binder", "roster")
ONLY_IN_RESTRICTED = ("eradication", "defensible")
ONLY_IN_DRAFT = ("provisional", "consultation")


def sample_available() -> list[str]:
    """The parts of the sample library missing from this repository (empty when complete)."""
    return [name for name in SAMPLE if not (REPO_ROOT / name).exists()]


def sample_repo(root: Path, options: Mapping[str, object] | None = None) -> LibraryRepo:
    """A git repository in `root` holding the sample library at one commit."""
    missing = sample_available()
    assert not missing, f"the sample library is incomplete in {REPO_ROOT}: missing {', '.join(missing)}"
    copy_tree(REPO_ROOT, root, (*SAMPLE, "external"))  # the external folder is optional
    if options:
        set_plugin_options(root / "mkdocs.yml", options)
    repo = LibraryRepo(root)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", "Sample Author")
    repo.git("config", "user.email", "sample@example.org")
    repo.git("config", "commit.gpgsign", "false")
    repo.commit("The sample library", when=SAMPLE_COMMIT_DATE)
    return repo


# A second commit of the sample: PRO-INC-002 gets a new version with one step inserted, so
# the site has a superseded version, its page and a changes page.
NEW_VERSION_SOURCE = "procedures/incident/pro-inc-002-log-and-classify.md"
# The sample's own version of that procedure, which the new one supersedes, read from its file.
PAST_VERSION = re.search(r'^version: "([^"]+)"$', (REPO_ROOT / NEW_VERSION_SOURCE).read_text(encoding="utf-8"), re.M).group(1)
NEW_VERSION = f"{PAST_VERSION.split('.')[0]}.{int(PAST_VERSION.split('.')[1]) + 1}"
NEW_VERSION_STEP = "**Service Desk Analyst** — Read the caller's last three incidents before you classify this one."
NEW_VERSION_DAY = SAMPLE_TODAY.isoformat()  # approved and in force on the build's day, after every sample approval
NEW_VERSION_COMMIT_DATE = f"{NEW_VERSION_DAY}T10:00:00+00:00"


def sample_with_new_version(root: Path) -> LibraryRepo:
    """The sample at two commits: the second makes PRO-INC-002's next minor version, with a step
    inserted after step 3."""
    repo = sample_repo(root)
    path = repo.root / NEW_VERSION_SOURCE
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("4. "))
    lines.insert(at, f"4. {NEW_VERSION_STEP}")
    text = "\n".join(lines)
    for field, value in (
        ("version", f'"{NEW_VERSION}"'),
        ("approved", NEW_VERSION_DAY),
        ("effective", NEW_VERSION_DAY),
        ("review", f"{SAMPLE_TODAY.year + 1}{NEW_VERSION_DAY[4:]}"),
        ("change", "The analyst reads the caller's recent incidents before classifying."),
    ):
        text, count = re.subn(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.M)
        assert count == 1, f"{NEW_VERSION_SOURCE} has no {field}"
    path.write_text(text, encoding="utf-8")
    repo.commit(f"PRO-INC-002 {NEW_VERSION}", when=NEW_VERSION_COMMIT_DATE)
    return repo


def set_plugin_options(config_file: Path, options: Mapping[str, object]) -> None:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    plugins = []
    for plugin in config.get("plugins", []):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "sms-docs":
            current = {} if isinstance(plugin, str) else dict(plugin[name] or {})
            plugin = {"sms-docs": {**current, **options}}
        plugins.append(plugin)
    config["plugins"] = plugins
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def build_sample(repo: LibraryRepo, *args: str) -> Completed:
    """`mkdocs build --strict ARGS` in the repository, with the sample's fixed build date."""
    return repo.build("--strict", *args, SOURCE_DATE_EPOCH=SAMPLE_EPOCH)


def built_sample(root: Path, options: Mapping[str, object] | None = None) -> LibraryRepo:
    repo = sample_repo(root, options)
    result = build_sample(repo)
    assert result.returncode == 0, f"mkdocs build --strict of the sample failed:\n{result.output}"
    assert (repo.site / "index.html").is_file(), f"no site was written:\n{result.output}"
    return repo


def site_files(site: Path) -> Iterator[tuple[str, str]]:
    """(path relative to the site, text) of every file of a built site; .gz files decompressed."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield path.relative_to(site).as_posix(), data.decode("utf-8", errors="replace")


def front_matter(source: str) -> dict:
    """The front matter of a sample document, read from this repository's file."""
    text = (REPO_ROOT / source).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def page_folder(source: str) -> str:
    """The site folder of a library document (directory URLs): `a/b.md` -> `a/b/`."""
    return source.removesuffix(".md") + "/"


# --------------------------------------------------------------------------- serving


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        pass


class SiteServer:
    """A built site served on 127.0.0.1 (free port) by a ThreadingHTTPServer in a thread."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="sample-site", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
