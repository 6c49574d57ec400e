"""What changed between two versions of a document: the fields, the rendered text (a
redline, see `redline.py`) and the Markdown source line by line. Everything is escaped here.

Only the redline carries `<ins>` and `<del>`: the field table and the source diff mark
their changes with classes, so a page's insertions and deletions are the text's.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from ..frontmatter import split
from ..history import scan_fields
from .redline import Redline, redline

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class VersionDiff:
    fields: list[tuple[str, str, str]]  # (field, old value, new value)
    redline: Redline
    source: str  # the Markdown source diff, line by line


def version_diff(old_text: str, new_text: str, old_html: str, new_html: str) -> VersionDiff:
    """Two versions compared: their files' texts and their bodies rendered (and made safe) by the caller."""
    return VersionDiff(field_changes(old_text, new_text), redline(old_html, new_html), body_diff_html(old_text, new_text))


def field_changes(old_text: str, new_text: str) -> list[tuple[str, str, str]]:
    """(field, old value, new value) for front-matter fields that differ."""
    old = scan_fields(split(old_text).front_matter or "")
    new = scan_fields(split(new_text).front_matter or "")
    rows = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = _show(old.get(key)), _show(new.get(key))
        if before != after:
            rows.append((key, before, after))
    return rows


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def body_diff_html(old_text: str, new_text: str) -> str:
    old_lines = split(old_text).body.split("\n")
    new_lines = split(new_text).body.split("\n")
    out = ['<div class="sms-diff">']
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    changed = False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            block = old_lines[i1:i2]
            if len(block) > 6:
                out.extend(_line("same", line) for line in block[:2])
                out.append(f'<div class="sms-diff-skip">… {len(block) - 4} unchanged lines …</div>')
                out.extend(_line("same", line) for line in block[-2:])
            else:
                out.extend(_line("same", line) for line in block)
            continue
        changed = True
        old_block, new_block = old_lines[i1:i2], new_lines[j1:j2]
        if tag == "replace" and len(old_block) == len(new_block):
            for before, after in zip(old_block, new_block, strict=True):
                deleted, added = _word_diff(before, after)
                out.append(f'<div class="sms-diff-line sms-del"><span class="sms-diff-sign">−</span>{deleted}</div>')
                out.append(f'<div class="sms-diff-line sms-add"><span class="sms-diff-sign">+</span>{added}</div>')
            continue
        out.extend(_line("del", line) for line in old_block)
        out.extend(_line("add", line) for line in new_block)
    if not changed:
        out.append('<div class="sms-diff-skip">The text did not change; only the fields above did.</div>')
    out.append("</div>")
    return "\n".join(out)


def _line(kind: str, text: str) -> str:
    sign = {"add": "+", "del": "−", "same": " "}[kind]
    css = {"add": "sms-add", "del": "sms-del", "same": "sms-same"}[kind]
    return f'<div class="sms-diff-line {css}"><span class="sms-diff-sign">{sign}</span>{html.escape(text)}</div>'


def _word_diff(before: str, after: str) -> tuple[str, str]:
    """Mark what changed inside one line: the words between the common start and end.

    An edit inside a line is nearly always one stretch of words; marking that stretch
    reads well and costs time in proportion to the line, where a full word-level
    alignment costs the product of the two lengths on long paragraphs.
    """
    old_words, new_words = _WORDS.findall(before), _WORDS.findall(after)
    start = 0
    limit = min(len(old_words), len(new_words))
    while start < limit and old_words[start] == new_words[start]:
        start += 1
    end = 0
    while end < limit - start and old_words[-1 - end] == new_words[-1 - end]:
        end += 1
    head = html.escape("".join(old_words[:start]))
    tail = html.escape("".join(old_words[len(old_words) - end :]))
    old_middle = html.escape("".join(old_words[start : len(old_words) - end]))
    new_middle = html.escape("".join(new_words[start : len(new_words) - end]))
    deleted = head + (f'<span class="sms-diff-word">{old_middle}</span>' if old_middle else "") + tail
    added = head + (f'<span class="sms-diff-word">{new_middle}</span>' if new_middle else "") + tail
    return deleted, added
