"""Body rules from ISO/IEC TR 20000-5, Annex D.2 f and D.4 f: SMS407 (the document's own
change history, or why it was written, kept in its body) and SMS408 (the template's
placeholder text left in an approved document)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document_templates import template_text
from ..model import DocType, Document, Finding, Status, make_finding
from .context import RuleContext

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+([^\n]*?)[ \t]*#*[ \t]*$", re.M)
# Headings that hold a change history, or the reasons the document was written. Kept narrow:
# "Change record" or "Version control" can be the subject of a change or configuration
# procedure, so only the names of history sections are listed.
_HISTORY = re.compile(
    r"(?:document|revision|version|change|amendment)s?\s+history|history(?:\s+of\s+(?:changes|revisions))?"
    r"|change\s*log|revision\s+(?:log|record)s?|amendment\s+records?|record\s+of\s+(?:changes|amendments|revisions)"
    r"|document\s+control"
)
_REASONS = re.compile(
    r"background|why\s+(?:this|the)\s+(?:document|policy|process|procedure)\b.*"
    r"|reasons?\s+for\s+(?:writing\s+)?(?:this|the)\s+(?:document|policy|process|procedure)"
)
_NUMBERING = re.compile(r"^(?:appendix\s+[a-z0-9]+\s*[:.\-–]?\s*|annex\s+[a-z0-9]+\s*[:.\-–]?\s*|\d+(?:\.\d+)*\.?\s+)")
_TABLE_ROW = re.compile(r"^[ \t]*\|(.+)\|[ \t]*$")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_VERSION_COLUMNS = {"version", "revision", "rev", "rev."}
_CHANGE_COLUMNS = {
    "date", "author", "authors", "changed by", "approved by", "amended by", "editor", "change", "changes",
    "description", "description of change", "summary of changes", "reason", "reason for change",
}
_LIST_MARK = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
_EMPHASIS = re.compile(r"[*_`]+")
_NO_EMPHASIS = str.maketrans("", "", "*_`")
_MIN_PLACEHOLDER_WORDS = 3
_MAX_PLACEHOLDER_FINDINGS = 3  # the first few stand for the rest


def check(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    placeholders: dict[DocType, dict[str, str]] = {}
    for doc in library.documents:
        if doc.is_external or doc.status is Status.RETIRED or not library.holds_id(doc):
            continue
        text = ctx.read(doc)[1]
        yield from _history(doc, text)
        if doc.status is Status.APPROVED:
            if doc.doc_type not in placeholders:
                placeholders[doc.doc_type] = template_placeholders(template_text(ctx.settings, doc.doc_type))
            yield from _placeholders(doc, text, placeholders[doc.doc_type])


def _history(doc: Document, text: str) -> Iterator[Finding]:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        heading = _ATX_HEADING.match(line)
        if heading:
            name = _NUMBERING.sub("", _normal(heading.group(1))).rstrip(":. ")
            if _HISTORY.fullmatch(name):
                yield _finding(
                    doc, index, f"the section `{heading.group(1).strip()}` keeps the document's own change history in "
                    "its body; remove it: the document history sheet at the back of every page is built from git, "
                    "and why a version exists goes in `change`",
                )
            elif _REASONS.fullmatch(name):
                yield _finding(
                    doc, index, f"the section `{heading.group(1).strip()}` records why the document was written, "
                    "detail staff do not need at the point of use; remove it, keeping in `## Purpose` what the "
                    "document is for, and put why a version exists in `change`",
                )
        elif _is_history_table(lines, index):
            yield _finding(
                doc, index, "this table records the document's own versions (version, date, author or change); "
                "remove it: the document history sheet at the back of every page is built from git, and why a "
                "version exists goes in `change`",
            )


def _is_history_table(lines: list[str], index: int) -> bool:
    row = _TABLE_ROW.match(lines[index])
    if row is None or index + 1 >= len(lines) or not _TABLE_RULE.match(lines[index + 1]):
        return False
    if index > 0 and _TABLE_ROW.match(lines[index - 1]):
        return False  # a header row is the first row of its table
    cells = {_normal(cell) for cell in row.group(1).split("|")}
    return bool(cells & _VERSION_COLUMNS) and bool(cells & _CHANGE_COLUMNS)


def _finding(doc: Document, index: int, message: str) -> Finding:
    return make_finding("SMS407", doc.path, doc.body_line + index, message, doc.id)


def template_placeholders(template: str) -> dict[str, str]:
    """The template's placeholder sentences, normalised -> as written: every line of text that
    is not a heading, a table row or code, long enough not to be a mere label."""
    found: dict[str, str] = {}
    fenced = False
    for line in template.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or _ATX_HEADING.match(line) or _TABLE_ROW.match(line) or "{{" in line:
            continue
        key = _placeholder_key(line)
        if len(key.split()) >= _MIN_PLACEHOLDER_WORDS:
            found.setdefault(key, line.strip())
    return found


def _placeholders(doc: Document, text: str, placeholders: dict[str, str]) -> Iterator[Finding]:
    if not placeholders or not _may_hold_placeholders(text, placeholders):
        return
    reported = 0
    for index, line in enumerate(text.split("\n")):
        written = placeholders.get(_placeholder_key(line))
        if written is None:
            continue
        yield make_finding(
            "SMS408",
            doc.path,
            doc.body_line + index,
            f"`{written[:80]}` is placeholder text from the {doc.doc_type} template, still in an approved "
            f"document; replace it with what this {doc.doc_type} actually says, or remove it, and issue a new version",
            doc.id,
        )
        reported += 1
        if reported == _MAX_PLACEHOLDER_FINDINGS:
            return


def _may_hold_placeholders(text: str, placeholders: dict[str, str]) -> bool:
    """Whether some placeholder is in the text at all, read as one line. Most approved
    documents hold none, and this spares making a key of every one of their lines: a line's
    key is its words in order, emphasis marks dropped and case folded, so it is found in the
    whole text's words so joined."""
    words = " ".join(text.translate(_NO_EMPHASIS).split()).casefold()
    return any(key in words for key in placeholders)


def _placeholder_key(line: str) -> str:
    return " ".join(_EMPHASIS.sub("", _LIST_MARK.sub("", line.strip())).split()).casefold()


def _normal(text: str) -> str:
    return " ".join(_EMPHASIS.sub("", text).split()).casefold()
