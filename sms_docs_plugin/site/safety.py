"""No script from a controlled document, whatever the rules let through.

With `allow_html` off (the default), SMS405 stops raw HTML at build time. This is the
second line: the HTML rendered from a document's body (current or superseded version)
is re-written tag by tag, so nothing in it can run script — elements that carry script
or hide the page show as text, `on…` attributes go, and links and sources with a script
scheme lead nowhere. It covers what the rule cannot see: an old version committed before
the rule, a severity turned off, attributes added with `attr_list`, `javascript:` links.

Every tag is written back from what the parser read, so the browser reads the same tags;
whatever the parser did not read as a tag is written as text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements that run script, load another document, change the page's base or styles, or
# parse their content differently in a browser than here: shown as text instead.
BLOCKED = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link",
        "meta", "form", "template", "noscript", "noembed", "noframes", "xmp", "plaintext", "textarea",
        "title", "portal", "animate", "animatemotion", "animatetransform", "set", "foreignobject",
        "use", "handler", "listener",
    }
)
_SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript|livescript|data):", re.I)
_SAFE_DATA = re.compile(r"^data:image/(png|gif|jpe?g|webp|avif|bmp);", re.I)
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_DROPPED_ATTRIBUTES = frozenset({"srcdoc", "formaction"})


def neutralise(fragment: str) -> str:
    """`fragment` with every way to run script made inert; ordinary Markdown output is kept."""
    writer = _Writer()
    writer.feed(fragment)
    writer.close()
    # An element the parser reads as raw text (an unclosed <script>) keeps the rest here.
    return "".join(writer.out) + html.escape(writer.rawdata, quote=False)


class _Writer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " /")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        if tag in BLOCKED:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>"))
            return
        kept = []
        for name, value in attrs:
            if name.startswith("on") or name in _DROPPED_ATTRIBUTES or not re.fullmatch(r"[a-z_:][-a-z0-9_:.]*", name):
                continue
            if value is None:
                kept.append(f" {name}")
                continue
            bare = _IGNORED.sub("", html.unescape(value))
            if _SCRIPT_SCHEME.match(bare) and not (name == "src" and _SAFE_DATA.match(bare)):
                value = "#"
            kept.append(f' {name}="{_attribute(value)}"')
        self.out.append(f"<{tag}{''.join(kept)}{close}>")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(html.escape(f"</{tag}>") if tag in BLOCKED else f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    # Comments, declarations and processing instructions carry nothing a reader needs.
    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


def _attribute(value: str) -> str:
    """As Python-Markdown writes attribute values, so its own output is kept byte for byte."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_RISKY_SOURCE = re.compile(r"[<{&]|script:|data:", re.I)


def may_carry_markup(markdown_source: str) -> bool:
    """False when Markdown this plain cannot render to anything `neutralise` would change:
    no raw HTML (`<`), no attribute lists (`{`), no entities (`&`), no script or data
    scheme. Past versions are many; most of them skip the rewrite."""
    if "<" in markdown_source or "{" in markdown_source or "&" in markdown_source:
        return True
    if markdown_source.isascii():  # the regex's case-insensitive scan is 20x slower on a page
        lowered = markdown_source.lower()
        return "script:" in lowered or "data:" in lowered
    # Under IGNORECASE `ı`, `İ` and `ſ` match `i` and `s`: what str.lower() would not see.
    return _RISKY_SOURCE.search(markdown_source) is not None
