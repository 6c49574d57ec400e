"""What is code and what is prose in a Markdown text, and where its headings are.

One reading for every part of the product that asks (the content rules, the templates,
the history pages, `adopt`), so they agree on what a document says. It follows CommonMark
for fenced code (``` or ~~~, indented up to three spaces, closed by a fence of the same
character at least as long, or running to the end when never closed), indented code (four
spaces or a tab, after a blank line or a heading) and code spans. Where Python-Markdown,
which MkDocs renders with, reads common text otherwise, it follows Python-Markdown: the
content of a list item, admonition, content tab, footnote or definition is indented by
four spaces, so such a block is not code; a heading starts at the first column; and the
backslash escapes are the characters Python-Markdown escapes.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from enum import Enum, auto

TAB = 4


@dataclass(frozen=True)
class Heading:
    index: int  # 0-based line of the heading's text
    level: int
    text: str  # without the `#` marks, a closing sequence or an attribute list


@dataclass(frozen=True)
class Outline:
    code: frozenset[int]  # 0-based lines inside code blocks, fence lines included
    headings: tuple[Heading, ...]  # outside code and outside containers

    def sections(self) -> list[str]:
        """The texts of the level-2 headings, in order."""
        return [heading.text for heading in self.headings if heading.level == 2]


class _Kind(Enum):
    START = auto()  # the first line, or the line after a container opener with no text
    BLANK = auto()
    PARAGRAPH = auto()
    HEADING = auto()  # also a fence's closing line or a thematic break: a block that ended
    CODE = auto()


@dataclass(frozen=True)
class _Container:
    opener: int  # column of the marker: a later line at this column or left of it ends the container
    base: int  # column where the content starts


@dataclass(frozen=True)
class _Fence:
    char: str
    length: int
    base: int  # the column its closing fence is measured from
    depth: int  # number of containers it sits in


_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
_ATX = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?[ \t]*")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
_ATTRIBUTES = re.compile(r"[ \t]*\{:?[ \t]*[#.][^}]*\}$")  # attr_list: `## Purpose {#purpose}`
_SETEXT = re.compile(r"(=+|-+)[ \t]*")
_THEMATIC = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*")
_LIST_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
# Admonition, collapsible block, content tab, footnote, definition: their content is indented.
_CONTAINER = re.compile(r"(?:!!!|\?\?\?\+?|===\+?)(?:[ \t]|$)|\[\^[^\]\n]+\]:|:[ \t]")
_BLOCK_START = re.compile(r"[#>`~]|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)|!!!|\?\?\?|===|\[\^|:[ \t]")
_SETEXT_LINE = re.compile(r"\n[=-]+[ \t]*(?:\n|$)")
_ATX_LINE = re.compile(r"\n(#{1,6})(?:[ \t]+([^\n]*?))?[ \t]*(?=\n|$)")
_MARKUP = frozenset("`~#=-*_+!?[:>0123456789")  # the first characters of everything but a paragraph line
# A backslash escape, or a run of backticks. The escapes are Python-Markdown's: unlike
# CommonMark it does not escape `<`, so `\<b>` is a tag, while `\<role\>` is text.
_INLINE = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!]|`+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*(?=\n)")
_NOT_NEWLINE = re.compile(r"[^\n]")


def outline(text: str) -> Outline:
    """The code lines and headings of a Markdown text (a document's body or a template)."""
    lined = "\n" + text  # the literal newline lets the regex engine skip from line to line
    if not _maybe_code_or_setext(lined):
        # No code and no underlined heading: the headings are the lines that start with `#`
        # (one at the first column ends every container), found without reading each line.
        headings, index, counted = [], 0, 0
        for match in _ATX_LINE.finditer(lined):
            index += lined.count("\n", counted, match.start())
            counted = match.start()
            headings.append(Heading(index, len(match.group(1)), _heading_text(match.group(2) or "")))
        return Outline(frozenset(), tuple(headings))
    code: set[int] = set()
    headings: list[Heading] = []
    containers: list[_Container] = []
    fence: _Fence | None = None
    previous = _Kind.START
    setext_text = False  # the previous line is a paragraph line a setext underline could make a heading
    lines = text.split("\n")
    for index, line in enumerate(lines):
        stripped = line.lstrip(" \t")
        if not stripped:
            if fence is not None:
                code.add(index)
            else:
                previous, setext_text = _Kind.BLANK, False
            continue
        column = _column(line, len(line) - len(stripped)) if line[0] in " \t" else 0
        markup = stripped[0] in _MARKUP
        if fence is not None:
            if fence.depth and column <= containers[fence.depth - 1].opener:
                del containers[fence.depth - 1 :]  # the container ends here, and its code with it
                fence, previous = None, _Kind.HEADING
            else:
                code.add(index)
                if column - fence.base < TAB and _closes(stripped, fence):
                    fence, previous = None, _Kind.HEADING
                continue
        lazy = previous is _Kind.PARAGRAPH and not (markup and _BLOCK_START.match(stripped))
        if not lazy:
            while containers and containers[-1].opener >= column:
                containers.pop()
        base = containers[-1].base if containers else 0
        relative = column - base
        if relative >= TAB:
            if previous in (_Kind.START, _Kind.BLANK, _Kind.HEADING, _Kind.CODE):
                code.add(index)
                previous = _Kind.CODE
            else:
                previous = _Kind.PARAGRAPH  # a paragraph's continuation, however indented
            setext_text = False
            continue
        if not markup:  # most lines: nothing but a paragraph starts with a letter
            previous = _Kind.PARAGRAPH
            setext_text = column == 0 and not containers and not lazy
            continue
        opening = _FENCE.fullmatch(stripped)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            marker = opening.group(1)
            fence = _Fence(marker[0], len(marker), max(base, 0), len(containers))
            code.add(index)
            setext_text = False
            continue
        if column == 0 and (heading := _ATX.fullmatch(line)):
            headings.append(Heading(index, len(heading.group(1)), _heading_text(heading.group(2) or "")))
            previous, setext_text = _Kind.HEADING, False
            continue
        if column == 0 and setext_text and (underline := _SETEXT.fullmatch(line)):
            level = 1 if underline.group(1)[0] == "=" else 2
            headings.append(Heading(index - 1, level, _heading_text(lines[index - 1].strip())))
            previous, setext_text = _Kind.HEADING, False
            continue
        if _THEMATIC.fullmatch(stripped):
            previous, setext_text = _Kind.HEADING, False
            continue
        item = _LIST_ITEM.match(stripped) or _CONTAINER.match(stripped)
        if item:
            width = max(TAB, item.end()) if item.re is _LIST_ITEM else TAB
            containers.append(_Container(column, column + width))
            # An admonition's, a collapsible block's or a tab's title line is not a paragraph.
            previous = _Kind.START if item.re is _CONTAINER and stripped[0] in "!?=" else _Kind.PARAGRAPH
            setext_text = False
            continue
        previous = _Kind.PARAGRAPH
        setext_text = column == 0 and not containers and not lazy
    return Outline(frozenset(code), tuple(headings))


def _maybe_code_or_setext(lined: str) -> bool:
    return (
        "```" in lined or "~~~" in lined or "\t" in lined or "\n    " in lined
        or (("\n-" in lined or "\n=" in lined) and _SETEXT_LINE.search(lined) is not None)
    )


def _column(line: str, indent: int) -> int:
    """The column of the first character after `indent` leading spaces and tabs (tab stops of four)."""
    column = 0
    for char in line[:indent]:
        column = column + TAB - column % TAB if char == "\t" else column + 1
    return column


def _closes(stripped: str, fence: _Fence) -> bool:
    run = len(stripped) - len(stripped.lstrip(fence.char))
    return run >= fence.length and not stripped[run:].strip()


def _heading_text(text: str) -> str:
    text = _ATTRIBUTES.sub("", text.strip())
    return _CLOSING_HASHES.sub("", text).strip()


def prose(text: str, shape: Outline | None = None) -> str:
    """The text with code blocks, code spans and backslash-escaped characters blanked out.

    Each blanked character becomes a space and every newline stays, so an offset in the
    prose is the same offset in the text, and its line is the number of newlines before
    it: what remains is what a reader sees as prose, where it stands.
    """
    shape = shape or outline(text)
    if shape.code:
        lines = text.split("\n")
        for index in shape.code:
            lines[index] = " " * len(lines[index])
        text = "\n".join(lines)
    if "`" not in text and "\\" not in text:
        return text
    breaks = [match.start() for match in _PARAGRAPH_BREAK.finditer(text)]
    pieces = []
    kept = position = 0
    while match := _INLINE.search(text, position):
        start, end = match.span()
        if text[start] == "\\":
            pieces += [text[kept:start], "  "]
            kept = position = end
            continue
        closing = _closing_run(len(match.group())).search(text, end)
        # A code span ends in its own paragraph; an unmatched run of backticks is text.
        paragraph_end = breaks[i] if (i := bisect.bisect_left(breaks, end)) < len(breaks) else len(text)
        if closing is None or closing.start() > paragraph_end:
            position = end
            continue
        pieces += [text[kept:start], _NOT_NEWLINE.sub(" ", text[start : closing.end()])]
        kept = position = closing.end()
    pieces.append(text[kept:])
    return "".join(pieces)


@functools.cache
def _closing_run(length: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!`)`{{{length}}}(?!`)")
