"""What `adopt` guesses about each document: type, id, title, owner and parents, each with
the reason printed beside it, so an author can check every guess in one read."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import ID_PATTERN, DocType

if TYPE_CHECKING:
    from .sources import Source

HIERARCHY = (DocType.POLICY, DocType.PROCESS, DocType.PROCEDURE)
DEFAULT_PREFIX = {DocType.POLICY: "POL", DocType.PROCESS: "PRC", DocType.PROCEDURE: "PRO"}
# Words that name a type: in a folder's name, and (full words only) in a title or file name.
_FOLDER_WORDS = {
    DocType.POLICY: {"policy", "policies", "pol"},
    DocType.PROCESS: {"process", "processes", "prc"},
    DocType.PROCEDURE: {"procedure", "procedures", "sop", "sops", "instruction", "instructions", "pro", "wi"},
}
_TITLE_WORDS = {
    DocType.POLICY: {"policy", "policies"},
    DocType.PROCESS: {"process", "processes"},
    DocType.PROCEDURE: {"procedure", "procedures", "sop", "instruction", "instructions"},
}
# Words of level-2 headings that a type's documents tend to use.
_HEADING_WORDS = {
    DocType.POLICY: {"policy", "statement", "statements", "principles", "compliance", "exceptions"},
    DocType.PROCESS: {"activities", "inputs", "outputs", "measures", "kpi", "kpis", "interfaces"},
    DocType.PROCEDURE: {"steps", "step", "instructions", "procedure", "checklist"},
}
_STOP_WORDS = {
    "a", "an", "and", "the", "of", "for", "to", "in", "on", "by", "with", "at", "or", "md",
    "policy", "policies", "process", "processes", "procedure", "procedures", "sop", "template",
}
# Title words that mark the policy every other one sits under.
_ROOT_WORDS = {"management", "system", "isms", "sms", "qms", "framework", "overall", "master", "general", "manual"}
# An id written at the start of a file name: `SOP-001 Document control.md`, `POL_07-access.md`.
_ID_IN_NAME = re.compile(r"([A-Za-z][A-Za-z0-9]*(?:[-_][0-9][A-Za-z0-9]*)+)(?=$|[\s_.-])")
_OWNER_LINE = re.compile(
    r"^[\s>*_|-]*(?:document |policy |process |procedure )?owner(?:ship)?[\s*_]*[:|][\s*_]*([^|\n]+?)[\s*_|]*$",
    re.I | re.M,
)


@dataclass
class Candidate:
    """One document as `adopt` will write it, with the reasons for what it guessed."""

    source: Source
    type: DocType
    type_reason: str
    explicit_type: bool  # from front matter: never changed
    complete: bool  # front matter already valid and complete: nothing is guessed for it
    id: str = ""
    id_reason: str = ""
    title: str = ""
    title_reason: str = ""
    parents: list[str] = field(default_factory=list)
    parent_reason: str = ""
    words: set[str] = field(default_factory=set)  # significant words of its title and file name

    @property
    def path(self) -> str:
        return self.source.path


def ascii_words(text: str) -> list[str]:
    """The lower-case words of `text` in ASCII letters and digits (`Prüfung` gives `prufung`)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", plain)


def significant(text: str) -> list[str]:
    return [word for word in ascii_words(text) if word not in _STOP_WORDS and not word.isdigit()]


def folder_type(path: str) -> tuple[DocType, str] | None:
    """The type the deepest folder on `path` names (`Security Policies/x.md`: policy), and that folder."""
    for folder in reversed(path.split("/")[:-1]):
        words = set(ascii_words(folder))
        for doc_type, names in _FOLDER_WORDS.items():
            if words & names:
                return doc_type, folder
    return None


def guess_type(source: Source, library: dict[DocType, str]) -> tuple[DocType, str, bool]:
    """(type, reason, from front matter)."""
    front = source.front
    if front is not None and front.type is not None:
        return front.type, "its front matter says so", True
    for doc_type, folder in library.items():
        if doc_type in HIERARCHY and source.path.startswith(posixpath.normpath(folder) + "/"):
            return doc_type, f"it is in the {doc_type} folder `{folder}/`", False
    named = folder_type(source.path)
    if named is not None:
        return named[0], f"its folder `{named[1]}` is named so", False
    title = (front.title if front is not None else "") or source.heading()
    for text, where in ((title, "title"), (source.stem, "file name")):
        words = ascii_words(text)
        for word in words:
            for doc_type, names in _TITLE_WORDS.items():
                if word in names:
                    return doc_type, f"its {where} says `{word}`", False
    scores = Counter()
    for heading in source.sections():
        for word in ascii_words(heading):
            for doc_type, names in _HEADING_WORDS.items():
                if word in names:
                    scores[doc_type] += 1
    ranked = scores.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0], f"its sections read like a {ranked[0][0]}'s", False
    return DocType.POLICY, "nothing names its type (a policy needs no parent): set `type` if it is a process or procedure", False


def compact_levels(candidates: list[Candidate]) -> None:
    """Without any process, a procedure has nothing to hang under (and a process without
    any policy): guessed types move up the hierarchy until its top level is filled."""
    present = [doc_type for doc_type in HIERARCHY if any(c.type is doc_type for c in candidates)]
    shift = {doc_type: HIERARCHY[index] for index, doc_type in enumerate(present)}
    for candidate in candidates:
        target = shift[candidate.type]
        if target is not candidate.type and not candidate.explicit_type:
            missing = candidate.type.parent_type
            candidate.type_reason = (
                f"{candidate.type_reason}, but the library has no {missing} for a {candidate.type} to hang under, "
                f"so it is adopted as a {target}"
            )
            candidate.type = target


def guess_title(source: Source) -> tuple[str, str]:
    front = source.front
    if front is not None and front.title:
        return front.title, "its front matter"
    heading = re.sub(r"[*_`]+", "", source.heading()).strip()
    if heading:
        return heading, "its first heading"
    words = re.sub(r"[-_]+", " ", source.stem).strip() or source.stem
    return words[:1].upper() + words[1:], "its file name"


def id_prefix(doc_type: DocType, existing: list[str]) -> str:
    """The prefix most ids of this type already use, or POL, PRC, PRO."""
    counts = Counter(doc_id.split("-", 1)[0] for doc_id in existing)
    return counts.most_common(1)[0][0] if counts else DEFAULT_PREFIX[doc_type]


def propose_id(source: Source, prefix: str, used: set[str]) -> tuple[str, str]:
    """An id from the file name that no document has or ever had (`used` is case-folded)."""
    written = _ID_IN_NAME.match(source.stem)
    if written:
        doc_id = written.group(1).replace("_", "-").upper()
        if ID_PATTERN.match(doc_id) and doc_id.casefold() not in used:
            return doc_id, f"the file name starts with `{written.group(1)}`"
    words = significant(source.stem) or significant(source.heading())
    if words:
        base = f"{prefix}-" + "-".join(word[:12].upper() for word in words[:3])
        reason = "its type and file name"
    else:
        base, reason = prefix, "its type (the file name has no letters or digits in ASCII)"
    return _free(base, used, numbered=not words), reason


def _free(base: str, used: set[str], *, numbered: bool) -> str:
    candidate = base if not numbered else f"{base}-001"
    number = 2
    while candidate.casefold() in used:
        candidate = f"{base}-{number}" if not numbered else f"{base}-{number:03d}"
        number += 1
    return candidate


def guess_owner(source: Source, doc_type: DocType) -> tuple[str, str]:
    front = source.front
    if front is not None and front.owner:
        return front.owner, "its front matter"
    for match in _OWNER_LINE.finditer(source.prose):
        value = re.sub(r"[*_`]+", "", match.group(1)).strip(" .:")
        if value and len(value) <= 60 and not re.search(r"[<>\[\]{}]|\b(tbd|tba|xxx|enter|insert)\b", value, re.I):
            return value, f"its text names the owner on line {source.body_line + source.prose.count(chr(10), 0, match.start())}"
    role = f"{doc_type.label} Owner"
    return role, "no owner is named in its text: set the accountable role"


def choose_root(policies: list[Candidate], links: dict[str, set[str]]) -> tuple[Candidate, str] | None:
    """The policy every other top-level policy hangs under."""
    tops = [c for c in policies if not c.parents]
    if not tops:
        return None
    if len(tops) == 1:
        return tops[0], "the only policy without a parent"
    settled = [c for c in tops if c.complete]
    if len(settled) == 1:
        return settled[0], "the library's top policy already"
    paths = {c.path for c in policies}

    def score(candidate: Candidate) -> tuple[int, int, int, str]:
        # A top policy refers to the policies under it.
        linked = len(links.get(candidate.path, set()) & paths)
        named = len(candidate.words & _ROOT_WORDS)
        return (-linked, -named, candidate.path.count("/"), candidate.path)

    root = min(tops, key=score)
    linked, named = -score(root)[0], -score(root)[1]
    if linked:
        why = f"it links to more of the other policies than any other ({linked})"
    elif named:
        why = f"its title names a management system (`{', '.join(sorted(root.words & _ROOT_WORDS))}`)"
    else:
        why = "the first policy: no link or title marks another one as the top"
    return root, why


def guess_parent(
    candidate: Candidate, options: list[Candidate], links: dict[str, set[str]], top: Candidate | None
) -> tuple[list[Candidate], str]:
    """The parents of a process (among policies) or a procedure (among processes), and why;
    `top` is the top policy, where a process with nothing else to go by hangs."""
    kind = candidate.type.parent_type
    down = [p for p in options if candidate.path in links.get(p.path, set())]
    if down:
        return down, f"{_names(down)} link(s) to it"
    up = [p for p in options if p.path in links.get(candidate.path, set())]
    if up:
        return up, f"it links to {_names(up)}"
    folder = candidate.source.folder
    beside = [p for p in options if p.source.folder == folder]
    if beside:
        return beside, f"in the same folder as {_names(beside)}"
    folder_words = set(significant(posixpath.basename(folder))) if folder else set()
    named = [p for p in options if folder_words and folder_words <= p.words]
    if named:
        return named, f"its folder `{posixpath.basename(folder)}` is named like {_names(named)}"
    best = max(options, key=lambda p: (len(candidate.words & p.words), -options.index(p)))
    shared = sorted(candidate.words & best.words)
    if shared:
        return [best], f"its title shares `{', '.join(shared)}` with {best.id}'s"
    if top is not None and top in options:
        return [top], f"no link, folder or shared word ties it to a policy; the top policy, {top.id}: check it"
    if len(options) == 1:
        return [best], f"the only {kind}"
    return [best], f"no link, folder or shared word ties it to a {kind}; the first {kind}, {best.id}: check it"


def _names(candidates: list[Candidate]) -> str:
    return ", ".join(c.id for c in candidates)
