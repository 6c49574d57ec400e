"""The table of contents and skip link of a page written into another page's shell.

History pages, past versions and changes pages are written into the built document page
(see history_pages.Shell). That shell carries the document's own table of contents (twice:
the sidebar, and the navigation drawer on phones) and a "Skip to content" link to the
document's first heading: on the written page they lead nowhere. `own_toc` rebuilds both
from the headings of the written content.
"""

from __future__ import annotations

import re

CONTENT_ID = "sms-content"
_TOC_NAV = '<nav class="md-nav md-nav--secondary"'
_TOC_LIST = '<ul class="md-nav__list" data-md-component="toc"'
_SKIP = re.compile(r'(<a href=")[^"]*(" class="md-skip">)(.*?</a>)', re.S)
_H2 = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.S)
_ID = re.compile(r'\bid="([^"]*)"')
_FIRST_TAG = re.compile(r"\s*<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")


def own_toc(shell: str, content: str) -> tuple[str, str]:
    """(shell, content) with the shell's tables of contents listing the content's sections
    and its skip link leading to the start of the content. Sections without an id get one,
    and so does the content's first element, the skip link's target."""
    content, target = _with_target(content)
    content, sections = _sections(content)
    items = "".join(
        f'<li class="md-nav__item"><a href="#{anchor}" class="md-nav__link"><span class="md-ellipsis">{text}</span></a></li>'
        for anchor, text in sections
    )
    shell = _SKIP.sub(lambda m: f"{m.group(1)}#{target}{m.group(2)}{m.group(3)}" if target else "", shell, 1)
    return _replace_toc_lists(shell, items), content


def _with_target(content: str) -> tuple[str, str | None]:
    first = _FIRST_TAG.match(content)
    if first is None:
        return content, None
    existing = _ID.search(first.group(2))
    if existing:
        return content, existing.group(1)
    at = first.end(1)
    return f'{content[:at]} id="{CONTENT_ID}"{content[at:]}', CONTENT_ID


def _sections(content: str) -> tuple[str, list[tuple[str, str]]]:
    """Every h2 of the content as (id, text already escaped), numbering those without an id."""
    sections: list[tuple[str, str]] = []

    def visit(match: re.Match[str]) -> str:
        attributes, inner = match.group(1), match.group(2)
        text = " ".join(_TAG.sub("", _HEADERLINK.sub("", inner)).split())
        existing = _ID.search(attributes)
        if existing:
            sections.append((existing.group(1), text))
            return match.group(0)
        anchor = f"{CONTENT_ID}-{len(sections) + 1}"
        sections.append((anchor, text))
        return f'<h2 id="{anchor}"{attributes}>{inner}</h2>'

    return _H2.sub(visit, content), sections


def _replace_toc_lists(shell: str, items: str) -> str:
    """Each table of contents of the shell lists `items`; an empty one loses its title too."""
    parts: list[str] = []
    at = 0
    while (start := shell.find(_TOC_NAV, at)) >= 0:
        open_end = shell.index(">", start) + 1
        end = _closing_nav(shell, open_end)
        inner = shell[open_end:end]
        list_start = inner.find(_TOC_LIST)
        if not items:
            inner = ""
        elif list_start < 0:  # the document had no sections: a list of our own, untitled
            inner = f'{_TOC_LIST} data-md-scrollfix>{items}</ul>'
        else:
            list_open_end = inner.index(">", list_start) + 1
            inner = inner[:list_open_end] + items + inner[inner.rfind("</ul>"):]
        parts.append(shell[at:open_end] + inner)
        at = end
    parts.append(shell[at:])
    return "".join(parts)


def _closing_nav(html: str, at: int) -> int:
    """Where the `</nav>` closing the nav opened just before `at` starts (navs nest)."""
    depth = 1
    while True:
        close = html.index("</nav>", at)
        opening = html.find("<nav", at, close)
        if opening >= 0:
            depth += 1
            at = opening + 4
            continue
        depth -= 1
        if depth == 0:
            return close
        at = close + 6
