"""Relative links between files: read to find which documents refer to which, and
rewritten when `adopt` moves files, so every link still leads where it led."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

# `[text](target "title")` and `![alt](target)`; `[label]: target` on its own line.
_INLINE = re.compile(r"\]\([ \t]*(?:<([^>\n]+)>|([^)\s]+))(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(?:<([^>\n]+)>|(\S+))", re.M)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_PATH_AND_ANCHOR = re.compile(r"([^?#]*)(.*)", re.S)  # `a.md?x#y`: the path, then what follows it


@dataclass(frozen=True)
class Link:
    start: int  # span of the target in the text, angle brackets excluded
    end: int
    target: str
    angled: bool


def links(prose: str) -> Iterator[Link]:
    """The links of a text, found in its prose (`markdown_text.prose`: same offsets, no code)."""
    for pattern in (_INLINE, _DEFINITION):
        for match in pattern.finditer(prose):
            group = 1 if match.group(1) is not None else 2
            yield Link(match.start(group), match.end(group), match.group(group), group == 1)


def resolve(source: str, target: str) -> str | None:
    """The path (relative to the root) a relative link of the file `source` leads to;
    None for a web address, an anchor on the same page or a path from the site's root."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path or _SCHEME.match(path) or path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))


def rewrite(text: str, prose: str, old: str, new: str, moves: Mapping[str, str]) -> str:
    """`text` (of the file moving from `old` to `new`) with every relative link pointing
    where it pointed before the moves."""
    pieces = []
    kept = 0
    for link in sorted(links(prose), key=lambda link: link.start):
        resolved = resolve(old, link.target)
        if resolved is None:
            continue
        destination = moves.get(resolved, resolved)
        if destination == resolved and new == old:
            continue
        path, anchor = _PATH_AND_ANCHOR.match(link.target).groups()
        relative = posixpath.relpath(destination, posixpath.dirname(new) or ".")
        if unquote(path) == relative:
            continue
        written = relative if link.angled else relative.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        pieces += [text[kept : link.start], written + anchor]
        kept = link.end
    return "".join(pieces) + text[kept:] if pieces else text


def link_graph(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """Path -> the paths among `sources` (path -> prose) it links to."""
    graph: dict[str, set[str]] = {}
    for path, prose in sources.items():
        targets = {resolve(path, link.target) for link in links(prose)}
        graph[path] = {target for target in targets if target in sources and target != path}
    return graph
