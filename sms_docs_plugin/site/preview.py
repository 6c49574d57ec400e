"""The author's preview (`mkdocs serve`): it publishes nothing, so it refuses nothing.

The site always renders the working tree, errors included. Every finding is shown on the
page of the file it concerns, with its code and the message that says how to fix it; a bar
on every page counts the findings and links to a findings page that lists them all,
grouped by file, those of files with no page of their own too (a draft, a file whose front
matter does not parse). `mkdocs build` never shows any of this: it refuses to publish.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mkdocs.structure.files import Files

from ..codes import Severity
from ..model import Finding
from .history_pages import CONTENT_START
from .links import relative_url
from .render import render

FINDINGS_PAGE = "findings.md"
STYLESHEET = "assets/sms-docs/sms-preview.css"
STYLESHEET_SOURCE = Path(__file__).resolve().parent.parent / "templates" / "preview" / "preview.css"


def severity_rank(severity: str) -> int:
    """Errors first, in the order codes.py declares the severities: one added there gets its
    place, its count and its colour class (`sms-finding--<severity>`) with no change here."""
    order = [str(s) for s in Severity]
    return order.index(severity) if severity in order else len(order)


@dataclass(frozen=True)
class FileFindings:
    path: str  # as findings give it: relative to the repository
    url: str | None  # of its page, relative to the findings page; None when it has none
    findings: list[Finding]


class Preview:
    def __init__(self, findings: list[Finding], root: Path) -> None:
        self.findings = findings
        self.root = root.resolve()
        self.page_urls: dict[str, str] = {}  # file path -> URL of the page showing it
        self.paths: dict[str, str] = {}  # page src_uri -> file path

    def add_pages(self, files: Files) -> None:
        """Which page shows each file: library documents and content pages alike."""
        for file in files.documentation_pages():
            if not file.abs_src_path:
                continue  # a generated page
            source = Path(file.abs_src_path)
            source = source.parent.resolve() / source.name  # not the target of a linked file
            if source.is_relative_to(self.root):
                path = source.relative_to(self.root).as_posix()
                self.page_urls[path] = file.url
                self.paths[file.src_uri] = path

    def counts(self) -> list[tuple[str, int]]:
        counted = Counter(str(f.severity) for f in self.findings)
        return sorted(counted.items(), key=lambda item: severity_rank(item[0]))

    def bar(self, findings_url: str) -> dict[str, object]:
        """What the bar on every page shows (templates/overrides/partials/sms-preview-bar.html)."""
        return {
            "counts": [{"severity": s, "text": counted(n, s)} for s, n in self.counts()],
            "url": findings_url,
        }

    def with_banners(self, src_uri: str, page_html: str) -> str:
        path = self.paths.get(src_uri)
        findings = [f for f in self.findings if f.path == path] if path else []
        if not findings:
            return page_html
        banners = render("preview/findings_banners.html", findings=findings, parts=message_parts)
        if page_html.startswith(CONTENT_START):
            # Inside a document's content, so its past versions, built from this page, do not carry them.
            return CONTENT_START + banners + page_html[len(CONTENT_START) :]
        return banners + page_html

    def page(self, page_url: str) -> str:
        """The findings page: every finding, grouped by file, linked to the file's page."""
        by_path: dict[str, list[Finding]] = {}
        for finding in self.findings:
            by_path.setdefault(finding.path, []).append(finding)
        groups = []
        for path in sorted(by_path):
            url = self.page_urls.get(path)
            groups.append(FileFindings(path, relative_url(url, page_url) if url else None, by_path[path]))
        counts = [counted(n, s) for s, n in self.counts()]
        return render("preview/findings_page.html", groups=groups, counts=counts, parts=message_parts)


def message_parts(message: str) -> list[tuple[bool, str]]:
    """A message as (is code, text) runs: its `backticked` names are shown as code."""
    return [(n % 2 == 1, text) for n, text in enumerate(message.split("`")) if text]


def counted(count: int, severity: str) -> str:
    return f"{count} {severity}" + ("" if count == 1 else "s")
