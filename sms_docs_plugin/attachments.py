"""Files beside documents (images, PDFs...): which of them a document links, and which are
active content, files a browser would run script from when opened on the site."""

from __future__ import annotations

import html
import posixpath
import re
import zlib
from html.parser import HTMLParser
from urllib.parse import unquote

from .model import Document

# Pages a browser renders as a page of the site: raw HTML, whatever they hold.
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml")
# Images and data a browser renders as a document when opened directly: active when they hold script.
SCANNED_SUFFIXES = (".svg", ".svgz", ".xml", ".xsl", ".xslt")
_MAX_UNPACKED = 64 * 1024 * 1024

_ACTIVE_MARKUP = re.compile(r"<\s*(?:[\w-]+:)?(script|foreignobject)\b|<!entity\b|<\?xml-stylesheet\b", re.I)
_ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"})
_SCRIPT_URL = re.compile(r"(javascript|vbscript|livescript):|^data:(?!image/(png|gif|jpe?g|webp|avif|bmp)[;,])", re.I)
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")

# Links of a Markdown body: `[text](target)`, `![alt](<target with spaces> "title")`,
# `[label]: target`, and the sources of raw HTML tags.
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[^\n]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")
_LINK = re.compile(r"\]\(\s*(?:<([^>\n]*)>|((?:[^()\s]|\([^()\s]*\))+))")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))", re.M)
_HTML_SOURCE = re.compile(r"""\b(?:src|href|data|poster|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)


def active_content(name: str, data: bytes) -> str | None:
    """What in this file would run in a browser (for the finding), or None when it is inert."""
    lower = name.lower()
    if lower.endswith(HTML_SUFFIXES):
        return "an HTML page"
    if not lower.endswith(SCANNED_SUFFIXES):
        return None
    if lower.endswith(".svgz"):
        try:
            data = _unpacked(data)
        except (OSError, zlib.error):
            return "a compressed SVG that cannot be read"
    text = _decoded(data)
    found = _ACTIVE_MARKUP.search(text)
    if found:
        element = found.group(1)
        return f"a `<{element.lower()}>` element" if element else f"`{found.group(0)}`"
    scanner = _Scanner()
    try:
        scanner.feed(text)
        scanner.close()
    except AssertionError:  # the parser's own checks on a broken declaration
        return "markup a browser may read differently"
    return scanner.found


def _unpacked(data: bytes) -> bytes:
    """A gzip stream unpacked, up to a size no SVG needs (a small file may unpack to gigabytes)."""
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    unpacked = stream.decompress(data, _MAX_UNPACKED + 1)
    if len(unpacked) > _MAX_UNPACKED:
        raise OSError("too large")
    return unpacked


def _decoded(data: bytes) -> str:
    """The text a browser would read: UTF-16 with a byte-order mark, else UTF-8 (or any
    encoding that writes tags in ASCII); NUL bytes are dropped, as a browser skips them."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    return data.decode(encoding, "replace").replace("\0", "")


class _Scanner(HTMLParser):
    """The first element, handler attribute or script URL that makes markup active."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is not None:
            return
        local = tag.rsplit(":", 1)[-1]
        if local in _ACTIVE_ELEMENTS:
            self.found = f"a `<{local}>` element"
            return
        for name, value in attrs:
            local_name = name.rsplit(":", 1)[-1]
            if local_name.startswith("on"):
                self.found = f"an event handler `{local_name}`"
                return
            if value and _SCRIPT_URL.search(_IGNORED_IN_URLS.sub("", html.unescape(value))):
                self.found = "a `javascript:` or `data:` URL"
                return

    handle_startendtag = handle_starttag


def linked_paths(doc: Document) -> set[str]:
    """The repository paths of the files the document's body links or embeds (not its code)."""
    # Each pattern runs only where the text it needs is present: a page of prose has no `=`,
    # and the case-insensitive attribute search was most of the time of a plain page.
    body = doc.body
    if "```" in body or "~~~" in body:
        body = _CODE_FENCE.sub("", body)
    if "`" in body:
        body = _CODE_SPAN.sub("", body)
    folder = posixpath.dirname(doc.path)
    targets = [a or b for a, b in _LINK.findall(body)]
    if "]:" in body:
        targets += [a or b for a, b in _DEFINITION.findall(body)]
    for quoted, single, bare in _HTML_SOURCE.findall(body) if "=" in body else ():
        value = html.unescape(quoted or single or bare)
        targets += [candidate.strip().split(" ")[0] for candidate in value.split(",")] if "," in value else [value]
    paths = {_resolve(folder, target) for target in targets}
    paths.discard(None)
    return paths  # type: ignore[return-value]


def _resolve(folder: str, target: str) -> str | None:
    target = target.strip()
    if not target or target.startswith("#") or _SCHEME.match(target):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    resolved = posixpath.normpath(joined)
    return None if resolved == ".." or resolved.startswith("../") else resolved
