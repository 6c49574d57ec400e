"""The documentation assessment: the library scored item by item against the kinds of
documentation deficiency that ISO/IEC 20000-5 Annex D.2 describes (items a–q).

The item titles are our own short paraphrases, not the standard's text. Each item says
whether this library shows the deficiency, with evidence; items a build cannot judge
say so and point at what helps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import DocType, Status
from ..publication import Placement, placement

if TYPE_CHECKING:
    from .records import Records

SHOWN, NOT_SHOWN, NOT_JUDGED = "shown", "not shown", "not judged by the build"
_WORD = re.compile(r"\w+")


@dataclass
class Item:
    letter: str
    title: str
    verdict: str
    evidence: list[str] = field(default_factory=list)
    codes: tuple[str, ...] = ()
    pages: list[tuple[str, str]] = field(default_factory=list)  # (label, URL of a record page)


def assess(records: Records, page_url: str) -> list[Item]:
    def count(*codes: str) -> list[str]:
        found = records.findings(*codes)
        return [f"{f.path}:{f.line}: {f.code} {f.message}" for f in found]

    def page(name: str) -> tuple[str, str]:
        url = records.sitemap.page_url(f"{name}.md", page_url) or f"{name}/"
        return (name.capitalize(), url)

    def by_codes(letter: str, title: str, codes: tuple[str, ...], pages: list[str], clean: str) -> Item:
        evidence = count(*codes)
        verdict = SHOWN if evidence else NOT_SHOWN
        return Item(letter, title, verdict, evidence or [clean], codes, [page(p) for p in pages])

    published = records.published
    current = [d for d in published if placement(d, records.settings) is Placement.CURRENT]
    _, clauses = records.clauses()
    numbers = [c["number"] for c in clauses]
    leaves = [n for n in numbers if not any(other.startswith(n + ".") for other in numbers)]
    claimed = {c for d in current for c in d.clauses}
    missing = [n for n in leaves if n not in claimed]
    long_docs = [
        (d, len(_WORD.findall(d.body))) for d in current if len(_WORD.findall(d.body)) > _long_limit(d.doc_type)
    ]
    archived = [d for d in published if placement(d, records.settings) is Placement.ARCHIVE]
    history = records.analysis.history
    by_type = {t: sum(1 for d in current if d.doc_type is t) for t in DocType}
    items = [
        Item(
            "a",
            "Documented information the SMS needs is missing",
            SHOWN if missing else NOT_SHOWN,
            [f"{len(leaves) - len(missing)} of {len(leaves)} clauses are claimed by a current document."]
            + ([f"No document claims: {', '.join(missing)}."] if missing else []),
            (),
            [page("coverage")],
        ),
        by_codes(
            "b",
            "Documents not identified or not under control (no id, owner or status)",
            ("SMS101", "SMS102", "SMS103", "SMS105"),
            ["register"],
            f"All {len(published)} published documents have valid identification and front matter.",
        ),
        Item(
            "c",
            "Obsolete documents kept beside current ones",
            NOT_SHOWN,
            [
                f"{len(archived)} retired document(s) are in the archive, watermarked obsolete, outside the "
                "navigation and the search index."
            ],
            (),
            [page("archive")],
        ),
        by_codes(
            "d",
            "Documents not reviewed when planned",
            ("SMS305",),
            ["reviews"],
            "No approved document is past its review date.",
        ),
        by_codes(
            "e",
            "Names of individuals used where a role belongs",
            ("SMS401",),
            ["roles"],
            "No known person's name was found in a document body.",
        ),
        Item(
            "f",
            "Unclear ownership and approval",
            SHOWN if any(not d.owner for d in published) else NOT_SHOWN,
            [
                f"{len({d.owner for d in published if d.owner})} roles own documents; "
                f"{len({d.approver for d in published if d.approver})} roles approve them."
            ],
            ("SMS102",),
            [page("roles")],
        ),
        by_codes(
            "g",
            "Weak version control (changes without a new version, versions out of order)",
            ("SMS301", "SMS302", "SMS307"),
            ["changes"],
            "Every change to an approved document came with a new, higher version."
            if history.available
            else "No git history is available to this build, so version control could not be verified.",
        ),
        by_codes(
            "h",
            "No record of why a document changed or who authorized it",
            ("SMS303", "SMS304"),
            ["changes"],
            "Every new version records its change, its approver and its approval date.",
        ),
        Item(
            "i",
            "Documents too long to use at the point of use",
            SHOWN if long_docs else NOT_SHOWN,
            [f"{d.id}: {words} words" for d, words in long_docs]
            or ["No current document is longer than the limit for its type (policies and processes 4000 words, "
                f"procedures {_long_limit(DocType.PROCEDURE)})."],
        ),
        by_codes(
            "j",
            "Overlapping or duplicated documents",
            ("SMS402", "SMS201"),
            ["register"],
            "No two documents share an id or largely the same text.",
        ),
        by_codes(
            "k",
            "Mixed formats and styles",
            ("SMS405",),
            ["register"],
            "Every controlled document is Markdown in the common layout, without raw HTML.",
        ),
        Item(
            "l",
            "Documents not available where they are used",
            NOT_SHOWN,
            [
                f"{len(current)} current documents are published and searchable by id, title and text.",
                f"{sum(1 for d in records.library.documents if d.status is Status.DRAFT)} draft(s) are held back "
                "until approved.",
            ],
            (),
            [page("register")],
        ),
        by_codes(
            "m",
            "Documents that do not follow their template",
            ("SMS403",),
            ["register"],
            "Every document has the sections its type's template requires.",
        ),
        by_codes(
            "n",
            "No logical hierarchy of policies, processes and procedures",
            ("SMS202", "SMS203", "SMS204", "SMS205", "SMS206", "SMS207", "SMS208"),
            ["hierarchy"],
            f"{by_type[DocType.POLICY]} policies, {by_type[DocType.PROCESS]} processes and "
            f"{by_type[DocType.PROCEDURE]} procedures form one hierarchy without orphans, cycles or gaps.",
        ),
        by_codes(
            "o",
            "References to obsolete, draft or missing documents",
            ("SMS404",),
            ["archive"],
            "No current document refers to a retired, draft or unknown document.",
        ),
        Item(
            "p",
            "Documents out of step with how the work is done",
            NOT_JUDGED,
            [
                "A build cannot tell whether a procedure matches practice. What helps: scheduled reviews by the "
                "owning role, and documents flagged as suspect after their parent changed.",
                f"{len(records.findings('SMS306'))} document(s) are suspect now.",
            ],
            ("SMS306",),
            [page("reviews")],
        ),
        Item(
            "q",
            "More documentation than the SMS needs",
            NOT_JUDGED,
            [
                "A build cannot tell whether a document is needed. Counts to judge by: "
                f"{by_type[DocType.POLICY]} policies, {by_type[DocType.PROCESS]} processes, "
                f"{by_type[DocType.PROCEDURE]} procedures; coverage shows which clauses each addresses."
            ],
            (),
            [page("coverage"), page("hierarchy")],
        ),
    ]
    return items


def _long_limit(doc_type: DocType) -> int:
    return 2500 if doc_type is DocType.PROCEDURE else 4000
