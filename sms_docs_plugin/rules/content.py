"""Content rules SMS401–SMS405: roles not names, no near-duplicates, templates followed,
no links to obsolete documents, no raw HTML."""

from __future__ import annotations

import functools
import itertools
import posixpath
import re
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import unquote

from ..document_templates import normalise, required_sections
from ..library import Library
from ..markdown_text import Outline
from ..model import ID_PATTERN, Classification, Document, Finding, Status, make_finding
from .context import RuleContext

# Each rule runs its regex once over a document's whole prose text (`markdown_text.prose`),
# yet what it looks for must sit on one line, the line its finding names: so whitespace here
# is `[^\S\n]` and every negated class leaves out `\n`.
_HTML_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)([^\S\n][^<>\n]*)?/?>|<!--")
_AUTOLINK = re.compile(r"<(https?|mailto|ftp):[^>\n]*>", re.I)
_LINK = re.compile(r"\]\([^\S\n]*<?([^)\s>]+)>?(?:[^\S\n]+\"[^\"\n]*\")?[^\S\n]*\)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\S\n]*<?([^\s>]+)>?", re.M)  # [label]: target.md
# An id not preceded by a word character, `/`, `.` or `-`. The look-behind comes after the
# first letter so that the regex engine can skip to the next capital instead of trying
# every offset; `_ID_HINT` (letter or digit, hyphen, letter or digit) skips prose with no id at all.
_ID_TOKEN = re.compile(r"([A-Z](?<![\w/.-][A-Z])[A-Z0-9]*(?:-[A-Z0-9]+)+)(?![\w-])")
_ID_HINT = re.compile(r"-(?<=[A-Z0-9]-)[A-Z0-9]")
# bytes.translate table: a-z and 0-9 stay, every other byte separates words.
_WORD_BYTES = bytes(b if chr(b) in string.ascii_lowercase + string.digits else 32 for b in range(256))
SHINGLE = 5
COMMON_SHINGLE_LIMIT = 12  # a shingle in more documents than this is boilerplate, not overlap


def _numbered(doc: Document, text: str, matches: Iterable[re.Match[str]]) -> Iterator[tuple[int, re.Match[str]]]:
    """(file line number, match) of matches found in order in `text`; counting the newlines
    from one match to the next keeps this linear in the text, however many matches."""
    line, counted = doc.body_line, 0
    for match in matches:
        line += text.count("\n", counted, match.start())
        counted = match.start()
        yield line, match


def check(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    documents = [d for d in library.documents if library.holds_id(d)]
    names = people_pattern(ctx)
    templates = required_sections(ctx.settings)
    normal = functools.cache(normalise)  # the same few headings recur in every document
    for doc in documents:
        if doc.status is Status.RETIRED:
            continue  # archived: no one has to edit an obsolete document to get a green build
        # Code and backslash-escaped text are not prose (SPEC §3).
        shape, text = ctx.read(doc)
        if names is not None:
            yield from _names(doc, names, text)
        yield from _template(doc, templates[doc.doc_type], shape, normal)
        if doc.status is Status.APPROVED:
            yield from _references(ctx, doc, text)
        if not ctx.settings.allow_html:
            yield from _raw_html(doc, text)
    # A retired document sits in the archive: its successor may reuse its text.
    yield from _near_duplicates(ctx, [d for d in documents if d.status is not Status.RETIRED])


def people_pattern(ctx: RuleContext) -> re.Pattern[str] | None:
    people = {name.strip() for name in ctx.settings.people}
    if ctx.history is not None:
        # Git authors with a first and a last name; a lone handle would match ordinary words.
        authors = {c.author for c in ctx.history.commits}  # a few authors make many commits
        people |= {author.strip() for author in authors if len(author.split()) >= 2}
    # A name is looked for within a line, so one with a line break in it is never found.
    people = {name for name in people if name and "\n" not in name}
    if not people:
        return None
    # One alternative per initial, led by that letter, lets the regex engine skip to the next
    # character that can start a name; the look-behind after the initial asks that the
    # name not start inside a word. Longer names first, so a full name wins over its prefix.
    by_initial: defaultdict[str, list[str]] = defaultdict(list)
    for name in sorted(people, key=len, reverse=True):
        by_initial[name[0]].append(re.escape(name[1:]))
    alternatives = "|".join(rf"{re.escape(initial)}(?<!\w.)(?:{'|'.join(rests)})" for initial, rests in by_initial.items())
    return re.compile(rf"({alternatives})(?!\w)")


def _names(doc: Document, names: re.Pattern[str], text: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for line, match in _numbered(doc, text, names.finditer(text)):
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


def _template(doc: Document, required: list[str], shape: Outline, normal: Callable[[str], str]) -> Iterator[Finding]:
    found: dict[str, int] = {}  # normalised heading -> body line of its first occurrence
    for heading in shape.headings:
        if heading.level == 2:
            found.setdefault(normal(heading.text), heading.index)
    missing = [section for section in required if normal(section) not in found]
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
    present = [section for section in required if normal(section) in found]
    for before, after in zip(present, present[1:], strict=False):
        if found[normal(after)] < found[normal(before)]:
            order = " › ".join(f"`## {section}`" for section in required)
            yield make_finding(
                "SMS403",
                doc.path,
                doc.body_line + found[normal(after)],
                f"`## {after}` comes before `## {before}`; the {doc.doc_type} template orders its sections "
                f"{order}; move the sections into that order",
                doc.id,
            )
            break


def _references(ctx: RuleContext, doc: Document, text: str) -> Iterator[Finding]:
    library = ctx.library
    prefixes = library.id_prefixes
    folder = posixpath.dirname(doc.path)
    # Every line that refers to a target wrongly gets its finding, so each one can be fixed
    # where it stands; a line naming one target twice (a link whose text is the id) gets one.
    # Its wording depends on the order: within a line the links, then the link definitions, then the ids.
    reported: set[tuple[int, str]] = set()
    links = _numbered(doc, text, _LINK.finditer(text)) if "](" in text else ()
    definitions = _numbered(doc, text, _LINK_DEFINITION.finditer(text)) if "]:" in text else ()
    ids = _numbered(doc, text, _ID_TOKEN.finditer(text)) if _ID_HINT.search(text) else ()
    mentions = sorted(
        itertools.chain(((line, 0, m) for line, m in links), ((line, 1, m) for line, m in definitions), ((line, 2, m) for line, m in ids)),
        key=lambda mention: mention[:2],
    )
    for line, kind, match in mentions:
        if kind < 2:
            yield from _link(ctx, doc, folder, match.group(1), line, reported)
            continue
        token = match.group(1)
        if token.split("-", 1)[0] not in prefixes or not ID_PATTERN.match(token) or token == doc.id:
            continue
        other = library.get(token)
        if other is None:
            if (line, token) not in reported:
                reported.add((line, token))
                yield make_finding(
                    "SMS404",
                    doc.path,
                    line,
                    f"refers to `{token}`, which is not a document of the library; correct the id or remove the reference",
                    doc.id,
                )
            continue
        yield from _judge(library, doc, other, token, line, reported)


def _link(
    ctx: RuleContext, doc: Document, folder: str, href: str, line: int, reported: set[tuple[int, str]]
) -> Iterator[Finding]:
    library = ctx.library
    target = href.split("#", 1)[0]
    if not target.endswith(".md") or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
        return
    resolved = posixpath.normpath(posixpath.join(folder, unquote(target)))
    other = library.by_path.get(resolved)
    if other is None:
        if (line, resolved) not in reported and _in_library(ctx, resolved) and not (ctx.settings.root / resolved).exists():
            reported.add((line, resolved))
            yield make_finding(
                "SMS404",
                doc.path,
                line,
                f"links to `{target}`, which is not a document of the library; correct the link or remove it",
                doc.id,
            )
    elif other is not doc and _hidden_restricted(ctx, doc, other):
        shown = other.id or target
        mention = (line, other.key or shown)
        if mention not in reported:
            reported.add(mention)
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


def _in_library(ctx: RuleContext, path: str) -> bool:
    folders = {posixpath.normpath(folder) for folder in ctx.settings.library.values()}
    return any(path.startswith(folder + "/") for folder in folders)


def _hidden_restricted(ctx: RuleContext, doc: Document, other: Document) -> bool:
    """A link from a published document to a restricted one that the site leaves out."""
    restricted = Classification.RESTRICTED
    return other.classification is restricted and doc.classification is not restricted and not ctx.settings.include_restricted


def _judge(
    library: Library, doc: Document, other: Document, shown: str, line: int, reported: set[tuple[int, str]]
) -> Iterator[Finding]:
    mention = (line, other.key or shown)
    if other.status not in (Status.RETIRED, Status.DRAFT) or mention in reported:
        return
    reported.add(mention)
    state = "retired (obsolete)" if other.status is Status.RETIRED else "a draft, not approved"
    successors = [d.id for d in library.documents if d.is_current and other.key in {s.casefold() for s in d.supersedes}]
    if doc.id in successors:
        instead = "this document supersedes it and `supersedes:` already records that; remove the reference from the body"
    elif successors:
        instead = f"refer to {', '.join(str(s) for s in successors)}, which supersedes it"
    else:
        instead = "refer to the current document instead"
    yield make_finding("SMS404", doc.path, line, f"refers to {shown}, which is {state}; {instead}", doc.id)


def _raw_html(doc: Document, text: str) -> Iterator[Finding]:
    if "<" not in text:
        return
    text = _AUTOLINK.sub("", text)
    reported = 0
    previous = None
    for line, match in _numbered(doc, text, _HTML_TAG.finditer(text)):
        if line == previous:  # the first tag of a line stands for the line
            continue
        previous = line
        yield make_finding(
            "SMS405",
            doc.path,
            line,
            f"raw HTML `{match.group(0)[:40]}` in a controlled document; write it in Markdown "
            "(or set `allow_html: true` in mkdocs.yml if your library needs HTML)",
            doc.id,
        )
        reported += 1
        if reported == 3:
            return


def _near_duplicates(ctx: RuleContext, documents: list[Document]) -> Iterator[Finding]:
    """Overlap of 5-word shingles; candidate pairs come from an inverted index of a
    deterministic sample of shingles, so the cost grows with the text, not with pairs."""
    vocabulary: defaultdict[bytes, int] = defaultdict(itertools.count().__next__)
    # The index of the sample: most sampled shingles are in one document only, so the first
    # holder goes into a dict of ints and only the later holders into lists; a list for
    # every shingle would cost its allocation and the garbage collector's repeated visits.
    first_holder: dict[int, int] = {}
    later_holders: defaultdict[int, list[int]] = defaultdict(list)
    sampled: list[int] = []  # distinct sampled shingles per document
    for number, doc in enumerate(documents):
        sample = {gram for gram in _shingles(doc.body, vocabulary) if not gram & 7}  # a deterministic one in eight
        sampled.append(len(sample))
        known = first_holder.keys() & sample
        for gram in known:
            later_holders[gram].append(number)
        first_holder.update(dict.fromkeys(sample - known, number))
    shared = Counter(
        itertools.chain.from_iterable(
            itertools.combinations([first_holder[gram], *later], 2)
            for gram, later in later_holders.items()
            if len(later) < COMMON_SHINGLE_LIMIT  # with the first holder, at most the limit
        )
    )
    threshold = ctx.settings.duplicate_threshold
    # A pair is compared in full when it shares at least half the sampled shingles that an
    # overlap at the threshold would give. The full shingle sets are built only for the pairs
    # that may pass: a document has at least as many shingles as sampled ones, so a pair short
    # of the mark against its sampled sizes is short of it against its full ones.
    candidates = sorted(
        (pair, count) for pair, count in shared.items() if not count * 8 < min(sampled[pair[0]], sampled[pair[1]]) * threshold * 0.5
    )
    shingles: dict[int, frozenset[int]] = {}
    for (first, second), count in candidates:
        for number in (first, second):
            if number not in shingles:
                shingles[number] = frozenset(_shingles(documents[number].body, vocabulary))
        smaller = min(len(shingles[first]), len(shingles[second]))
        if count * 8 < smaller * threshold * 0.5:
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


def _shingles(text: str, vocabulary: defaultdict[bytes, int]) -> Iterator[int]:
    """The hashes of the 5-word shingles of the text, repeats included. A word stands as its
    number in the vocabulary, since tuples of ints hash the same in every run, unlike strings."""
    words = list(map(vocabulary.__getitem__, _words(text)))
    return map(hash, zip(*(words[i:] for i in range(SHINGLE)), strict=False))


def _words(text: str) -> list[bytes]:
    """The runs of a-z and 0-9 in the lower-cased text, as `[a-z0-9]+` finds them; a
    character outside ASCII encodes as `?`, which separates words like any other."""
    return text.lower().encode("ascii", "replace").translate(_WORD_BYTES).split()
