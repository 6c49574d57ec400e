"""Content rules SMS401–SMS405: roles not names, no near-duplicates, templates followed,
no links to obsolete documents, no raw HTML."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import unquote

from ..library import Library
from ..model import ID_PATTERN, Classification, Document, Finding, Status, make_finding
from ..templates_catalog import normalise, required_sections
from .context import RuleContext

_INLINE_CODE = re.compile(r"`+[^`]*`+")
_HTML_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?/?>|<!--")
_AUTOLINK = re.compile(r"<(https?|mailto|ftp):[^>]*>", re.I)
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")  # [label]: target.md
_ID_TOKEN = re.compile(r"(?<![\w/.-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)(?![\w-])")
_WORD = re.compile(r"[a-z0-9]+")
SHINGLE = 5
COMMON_SHINGLE_LIMIT = 12  # a shingle in more documents than this is boilerplate, not overlap


Prose = list[tuple[int, str]]


def prose(doc: Document) -> Prose:
    """(file line number, text) of body lines outside fenced code, inline code removed.
    Computed once per document and handed to each rule that reads the text."""
    lines = []
    fenced = False
    for offset, line in enumerate(doc.body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((doc.body_line + offset, _INLINE_CODE.sub("", line) if "`" in line else line))
    return lines


def check(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    documents = [d for d in library.documents if d.key and library.get(d.id or "") is d]
    names = _people(ctx)
    templates = required_sections(ctx.settings)
    for doc in documents:
        text = prose(doc)
        if names is not None:
            yield from _names(doc, names, text)
        yield from _template(doc, templates[doc.doc_type], text)
        if doc.status is Status.APPROVED:
            yield from _references(ctx, doc, text)
        if not ctx.settings.allow_html:
            yield from _raw_html(doc, text)
    # A retired document sits in the archive: its successor may reuse its text.
    yield from _near_duplicates(ctx, [d for d in documents if d.status is not Status.RETIRED])


def _people(ctx: RuleContext) -> re.Pattern[str] | None:
    people = {name.strip() for name in ctx.settings.people if name.strip()}
    if ctx.history is not None:
        # Git authors with a first and a last name; a lone handle would match ordinary words.
        people |= {c.author.strip() for c in ctx.history.commits if len(c.author.split()) >= 2}
    if not people:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(people, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)")


def _names(doc: Document, names: re.Pattern[str], lines: Prose) -> Iterator[Finding]:
    seen: set[str] = set()
    for line, text in lines:
        for match in names.finditer(text):
            name = match.group(1)
            if name in seen:
                continue
            seen.add(name)
            yield make_finding(
                "SMS401",
                doc.path,
                line,
                f"`{name}` names a person; write the role instead (for example `Incident Manager`), "
                "so the document stays right when people change jobs",
                doc.id,
            )


def _template(doc: Document, required: list[str], lines: Prose) -> Iterator[Finding]:
    found: dict[str, int] = {}  # normalised heading -> line of its first occurrence
    for line, heading in _headings(lines):
        found.setdefault(normalise(heading), line)
    missing = [section for section in required if normalise(section) not in found]
    if missing:
        listed = ", ".join(f"`## {section}`" for section in missing)
        yield make_finding(
            "SMS403",
            doc.path,
            doc.body_line,
            f"the {doc.doc_type} template requires the section(s) {listed}; add them "
            f"(see the {doc.doc_type} template, or start documents with `sms-docs new {doc.doc_type}`)",
            doc.id,
        )
    # The sections that are present must come in the template's order (author's guide).
    present = [section for section in required if normalise(section) in found]
    for before, after in zip(present, present[1:], strict=False):
        if found[normalise(after)] < found[normalise(before)]:
            order = " › ".join(f"`## {section}`" for section in required)
            yield make_finding(
                "SMS403",
                doc.path,
                found[normalise(after)],
                f"`## {after}` comes before `## {before}`; the {doc.doc_type} template orders its sections "
                f"{order}; move the sections into that order",
                doc.id,
            )
            break


def _headings(lines: Prose) -> Iterator[tuple[int, str]]:
    for line, text in lines:
        if text.startswith("## "):
            yield line, text[3:].strip().rstrip("#").strip()


def _references(ctx: RuleContext, doc: Document, lines: Prose) -> Iterator[Finding]:
    library = ctx.library
    by_path, prefixes = library.by_path, library.id_prefixes
    folder = posixpath.dirname(doc.path)
    reported: set[str] = set()
    for line, text in lines:
        for match in [*_LINK.finditer(text), *_LINK_DEFINITION.finditer(text)]:
            target = match.group(1).split("#", 1)[0]
            if not target.endswith(".md") or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                continue
            resolved = posixpath.normpath(posixpath.join(folder, unquote(target)))
            other = by_path.get(resolved)
            if other is None:
                if resolved not in reported and _in_library(ctx, resolved) and not (ctx.settings.root / resolved).exists():
                    reported.add(resolved)
                    yield make_finding(
                        "SMS404",
                        doc.path,
                        line,
                        f"links to `{target}`, which is not a document of the library; correct the link or remove it",
                        doc.id,
                    )
            elif other is not doc and _hidden_restricted(ctx, doc, other):
                shown = other.id or target
                if shown not in reported:
                    reported.add(shown)
                    yield make_finding(
                        "SMS404",
                        doc.path,
                        line,
                        f"links to {shown}, which is restricted and left out of the published site, so the link "
                        "would be broken; remove the link (naming the id is fine), or set `include_restricted: true`",
                        doc.id,
                    )
            elif other is not doc:
                yield from _judge(library, doc, other, other.id or target, line, reported)
        for match in _ID_TOKEN.finditer(text):
            token = match.group(1)
            if token.split("-", 1)[0] not in prefixes or not ID_PATTERN.match(token) or token == doc.id:
                continue
            other = library.get(token)
            if other is None:
                if token not in reported:
                    reported.add(token)
                    yield make_finding(
                        "SMS404",
                        doc.path,
                        line,
                        f"refers to `{token}`, which is not a document of the library; correct the id or remove the reference",
                        doc.id,
                    )
                continue
            yield from _judge(library, doc, other, token, line, reported)


def _in_library(ctx: RuleContext, path: str) -> bool:
    folders = {posixpath.normpath(folder) for folder in ctx.settings.library.values()}
    return any(path.startswith(folder + "/") for folder in folders)


def _hidden_restricted(ctx: RuleContext, doc: Document, other: Document) -> bool:
    """A link from a published document to a restricted one that the site leaves out."""
    restricted = Classification.RESTRICTED
    return other.classification is restricted and doc.classification is not restricted and not ctx.settings.include_restricted


def _judge(
    library: Library, doc: Document, other: Document, shown: str, line: int, reported: set[str]
) -> Iterator[Finding]:
    if other.status not in (Status.RETIRED, Status.DRAFT) or shown in reported:
        return
    reported.add(shown)
    state = "retired (obsolete)" if other.status is Status.RETIRED else "a draft, not approved"
    successors = [d.id for d in library.documents if d.is_current and other.key in {s.casefold() for s in d.supersedes}]
    if doc.id in successors:
        instead = "this document supersedes it and `supersedes:` already records that; remove the reference from the body"
    elif successors:
        instead = f"refer to {', '.join(str(s) for s in successors)}, which supersedes it"
    else:
        instead = "refer to the current document instead"
    yield make_finding("SMS404", doc.path, line, f"refers to {shown}, which is {state}; {instead}", doc.id)


def _raw_html(doc: Document, lines: Prose) -> Iterator[Finding]:
    count = 0
    for line, text in lines:
        match = _HTML_TAG.search(_AUTOLINK.sub("", text))
        if match:
            count += 1
            if count <= 3:
                yield make_finding(
                    "SMS405",
                    doc.path,
                    line,
                    f"raw HTML `{match.group(0)[:40]}` in a controlled document; write it in Markdown "
                    "(or set `allow_html: true` in mkdocs.yml if your library needs HTML)",
                    doc.id,
                )


def _near_duplicates(ctx: RuleContext, documents: list[Document]) -> Iterator[Finding]:
    """Overlap of 5-word shingles; candidate pairs come from an inverted index of a
    deterministic sample of shingles, so the cost grows with the text, not with pairs."""
    vocabulary: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    shingles: list[frozenset[int]] = []
    for doc in documents:
        words = list(map(vocabulary.__getitem__, _WORD.findall(doc.body.lower())))
        # Tuples of ints hash the same in every run, unlike strings.
        grams = zip(*(words[i:] for i in range(SHINGLE)), strict=False)
        shingles.append(frozenset(map(hash, grams)))
    index: dict[int, list[int]] = defaultdict(list)
    for number, grams in enumerate(shingles):
        for gram in [g for g in grams if not g & 7]:  # a deterministic one-in-eight sample
            index[gram].append(number)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for holders in index.values():
        if len(holders) < 2 or len(holders) > COMMON_SHINGLE_LIMIT:
            continue
        for i, first in enumerate(holders):
            for second in holders[i + 1 :]:
                shared[(first, second)] += 1
    threshold = ctx.settings.duplicate_threshold
    for (first, second), count in sorted(shared.items()):
        smaller = min(len(shingles[first]), len(shingles[second]))
        if smaller == 0 or count * 8 < smaller * threshold * 0.5:
            continue
        overlap = len(shingles[first] & shingles[second]) / smaller
        if overlap >= threshold:
            one, other = documents[first], documents[second]
            yield make_finding(
                "SMS402",
                other.path,
                other.body_line,
                f"{round(overlap * 100)}% of this text is also in {one.id} ({one.path}); merge the two "
                "documents, or keep the shared part in one and refer to it from the other",
                other.id,
            )
