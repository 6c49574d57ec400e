"""The documentation assessment: the library held against the common documentation
deficiencies that ISO/IEC TR 20000-5 (the exemplar implementation plan, DTR 2009) lists in
Annex D.2, in the standard's own letters and order, a to q.

The titles are our paraphrase; the letters are the standard's. Each item gets a verdict in
plain words and its evidence (findings, counts, documents, record pages). A verdict is
decided here, from the findings and the library; the site only shows it. Where a build
cannot tell, the verdict says a person has to judge, and the evidence says what helps.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from .analysis import Analysis
from .clauses import RECORDS, TYPE_KINDS, Clause, ClauseList
from .library import Library
from .model import HIERARCHY, DocType, Document, Finding, Status
from .publication import Placement, placement
from .register import published

SOURCE = "ISO/IEC TR 20000-5 (the exemplar implementation plan for ISO/IEC 20000-1, DTR 2009), Annex D.2"
LETTERS = "abcdefghijklmnopq"
READING_WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+")


class Verdict(StrEnum):
    NO_DEFICIENCY = "no deficiency found"
    DEFICIENCY = "deficiency found"
    TO_JUDGE = "for a person to judge"


@dataclass(frozen=True)
class Evidence:
    """One line of evidence; the site links the documents it names."""

    text: str
    docs: tuple[Document, ...] = ()
    finding: Finding | None = None


@dataclass
class Item:
    letter: str
    title: str
    verdict: Verdict
    summary: str  # the verdict's reason in one or two plain sentences
    evidence: list[Evidence] = field(default_factory=list)
    codes: tuple[str, ...] = ()  # the rules that look for this deficiency
    pages: tuple[str, ...] = ()  # record pages that show more: "coverage", "records", ...


@dataclass
class Assessment:
    source: str
    standard: str
    items: list[Item]

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "standard": self.standard,
            "items": [
                {
                    "letter": item.letter,
                    "title": item.title,
                    "verdict": item.verdict.value,
                    "summary": item.summary,
                    "codes": list(item.codes),
                    "evidence": [
                        {"text": line.text, "documents": [doc.id for doc in line.docs]} for line in item.evidence
                    ],
                }
                for item in self.items
            ],
        }


def assess(analysis: Analysis) -> Assessment:
    clause_list = analysis.library.settings.clause_list
    facts = _Facts(analysis, clause_list)
    standard = clause_list.standard or "the standard"
    items = [
        facts.required("a", "policy", f"Policies required by {standard} are not documented"),
        facts.required("b", "process", f"Processes required by {standard} are not documented"),
        facts.required("c", "procedure", f"Procedures required by {standard} are not documented"),
        facts.obsolete(),
        facts.by_codes(
            "e", "Names of individuals used where a role belongs", ("SMS401",), ("roles",),
            "No name of a known person was found in the documents.",
            "Names of individuals appear where a role belongs.",
        ),
        facts.by_codes(
            "f", "Irrelevant detail, such as why the document was written or its own change history", ("SMS407",), (),
            "No document keeps its change history or the reasons it was written in its body; both are in "
            "the document history sheet, read from git.",
            "Some documents carry their own change history or background in the body.",
        ),
        facts.versions(),
        facts.authorization(),
        facts.numbers(),
        facts.detail(),
        facts.by_codes(
            "k", "A variety of formats and layouts",
            ("SMS101", "SMS102", "SMS103", "SMS104", "SMS105", "SMS403", "SMS405"), ("register",),
            "Every document has valid front matter and follows its type's template, in Markdown without raw HTML.",
            "Some documents have front matter out of the common form, do not follow their type's template, or "
            "mix in raw HTML.",
        ),
        facts.documented_information(),
        facts.by_codes(
            "m", "Unnecessary variations of the same document", ("SMS402",), ("register",),
            "No two documents are variations of largely the same text.",
            "Some documents are near-copies of each other.",
        ),
        facts.by_codes(
            "n", "No logical hierarchy of policies, processes and procedures",
            ("SMS202", "SMS203", "SMS204", "SMS205", "SMS206", "SMS207", "SMS208"), ("hierarchy",),
            facts.hierarchy_counts() + " form one hierarchy without orphans, cycles, wrong levels or gaps.",
            "The policy › process › procedure hierarchy has breaks.",
        ),
        facts.overlaps(),
        facts.achievements(),
        facts.reality(),
    ]
    assert "".join(item.letter for item in items) == LETTERS
    return Assessment(SOURCE, clause_list.standard, items)


class _Facts:
    """What the items are judged on, computed once: published documents and their findings."""

    def __init__(self, analysis: Analysis, clauses: ClauseList) -> None:
        self.analysis = analysis
        self.library: Library = analysis.library
        self.settings = analysis.library.settings
        self.clauses = clauses
        self.published = published(self.library)
        self.visible = {doc.path for doc in self.published}
        # Current documents of the hierarchy; external documents are counted apart.
        self.current = [
            d for d in self.published if placement(d, self.settings) is Placement.CURRENT and not d.is_external
        ]
        self.claims: dict[str, list[Document]] = defaultdict(list)
        for doc in self.current:
            for number in dict.fromkeys(doc.clauses):
                self.claims[number].append(doc)

    def findings(self, *codes: str) -> list[Finding]:
        """Findings about published documents only: the page must not name what is left out."""
        return [f for f in self.analysis.findings if f.code in codes and f.path in self.visible]

    def evidence_of(self, findings: list[Finding]) -> list[Evidence]:
        evidence = []
        for finding in findings:
            doc = self.library.by_path.get(finding.path)
            text = f"{finding.path}:{finding.line}: {finding.code} {finding.message}"
            evidence.append(Evidence(text, (doc,) if doc else (), finding))
        return evidence

    def by_codes(
        self, letter: str, title: str, codes: tuple[str, ...], pages: tuple[str, ...], clean: str, found: str
    ) -> Item:
        findings = self.findings(*codes)
        if findings:
            return Item(letter, title, Verdict.DEFICIENCY, found, self.evidence_of(findings), codes, pages)
        return Item(letter, title, Verdict.NO_DEFICIENCY, clean, [], codes, pages)

    def hierarchy_counts(self) -> str:
        counts = {t: sum(1 for d in self.current if d.doc_type is t) for t in HIERARCHY}
        return (
            f"{counts[DocType.POLICY]} policies, {counts[DocType.PROCESS]} processes and "
            f"{counts[DocType.PROCEDURE]} procedures"
        )

    # -- a, b, c ---------------------------------------------------------------------------

    def required(self, letter: str, kind: str, title: str) -> Item:
        doc_type = TYPE_KINDS[kind]
        asking = self.clauses.asking_for(kind)
        if not asking:
            return Item(
                letter, title, Verdict.TO_JUDGE,
                f"The clause list names no clause that asks for a {kind}, so the build cannot tell which "
                f"{kind} documents are required. Compare the library with the standard's requirements.",
                pages=("coverage",),
            )
        found, missing = [], []
        for clause in asking:
            providers = [d for d in self.claims.get(clause.number, []) if d.doc_type is doc_type]
            if providers:
                found.append(Evidence(f"{_clause(clause)}: documented by", tuple(providers)))
            else:
                missing.append(clause)
        evidence = [
            Evidence(f"{len(found)} of {len(asking)} clauses that ask for a {kind} are claimed by a current {kind}."),
            *(Evidence(f"{_clause(clause)}: no current {kind} claims this clause") for clause in missing),
            *found,
        ]
        if missing:
            asks = "this clause calls" if len(missing) == 1 else "these clauses call"
            summary = f"No current {kind} claims {_numbers(missing)}; the clause list says {asks} for one."
            return Item(letter, title, Verdict.DEFICIENCY, summary, evidence, pages=("coverage",))
        summary = f"Every clause that asks for a {kind} is claimed by a current {kind}."
        return Item(letter, title, Verdict.NO_DEFICIENCY, summary, evidence, pages=("coverage",))

    # -- d -----------------------------------------------------------------------------------

    def obsolete(self) -> Item:
        title = "Obsolete documents kept next to current ones"
        archived = [d for d in self.published if placement(d, self.settings) is Placement.ARCHIVE]
        evidence = [
            Evidence(
                f"{len(archived)} retired document(s) are in the archive, watermarked obsolete, out of the "
                "navigation and the search index" + (":" if archived else "."),
                tuple(archived),
            )
        ]
        side_by_side = []
        for doc in self.current:
            for old_id in doc.supersedes:
                old = self.library.get(old_id)
                if old is not None and old is not doc and old.is_current and old.path in self.visible:
                    side_by_side.append(Evidence(f"{doc.id} supersedes {old.id}, yet {old.id} is still approved and in use", (doc, old)))
        revived = self.evidence_of(self.findings("SMS307"))
        problems = side_by_side + revived
        if problems:
            return Item(
                "d", title, Verdict.DEFICIENCY,
                "Some superseded documents are still in use next to the documents that replace them.",
                problems + evidence, ("SMS307",), ("archive",),
            )
        return Item(
            "d", title, Verdict.NO_DEFICIENCY,
            "Retired documents are kept apart from current ones, and no superseded document is still in use.",
            evidence, ("SMS307",), ("archive",),
        )

    # -- g, h --------------------------------------------------------------------------------

    def _history_item(self, letter: str, title: str, codes: tuple[str, ...], clean: str, found: str) -> Item:
        if not self.analysis.history.available:
            notices = [Evidence(notice) for notice in self.analysis.history.notices]
            return Item(
                letter, title, Verdict.TO_JUDGE,
                "This build has no git history, so the versions could not be checked; judge them from the "
                "repository.",
                notices, codes, ("changes",),
            )
        findings = self.findings(*codes)
        # A notice records a past slip that a later version has superseded: evidence, not a deficiency now.
        standing = [f for f in findings if str(f.severity) != "notice"]
        evidence = self.evidence_of(standing) + self.evidence_of([f for f in findings if f not in standing])
        if standing:
            return Item(letter, title, Verdict.DEFICIENCY, found, evidence, codes, ("changes",))
        return Item(letter, title, Verdict.NO_DEFICIENCY, clean, evidence, codes, ("changes",))

    def versions(self) -> Item:
        return self._history_item(
            "g", "Weak version control", ("SMS301", "SMS302", "SMS307", "SMS308", "SMS309"),
            "Every change to an approved document came with a new, higher version, and no document "
            "vanished or had its id reused.",
            "Some documents changed without a new version, went backwards, or were withdrawn irregularly.",
        )

    def authorization(self) -> Item:
        return self._history_item(
            "h", "No record of why a document changed or who authorized the change",
            ("SMS303", "SMS304", "SMS310", "SMS311", "SMS312"),
            "Every new version records why it was made, who authorized it and when.",
            "Some versions do not record why they were made, who authorized them, or when.",
        )

    # -- i, j --------------------------------------------------------------------------------

    def numbers(self) -> Item:
        title = "Excessive numbers of documents"
        counts = {t: sum(1 for d in self.current if d.doc_type is t) for t in HIERARCHY}
        evidence = [Evidence(f"Current documents: {self.hierarchy_counts()}.")]
        problems = []
        for upper, lower in zip(HIERARCHY, HIERARCHY[1:], strict=False):
            if counts[upper] > counts[lower]:
                problems.append(
                    Evidence(f"More {_plural(upper)} ({counts[upper]}) than {_plural(lower)} ({counts[lower]}): "
                             "the upper level is split finer than the work it governs.")
                )
        process_clauses = self.clauses.asking_for("process")
        if process_clauses:
            evidence.append(Evidence(f"The clause list asks for {len(process_clauses)} processes."))
            if counts[DocType.PROCESS] > 2 * len(process_clauses):
                problems.append(
                    Evidence(f"{counts[DocType.PROCESS]} processes for the {len(process_clauses)} the clause list "
                             "asks for: more than twice as many.")
                )
        if problems:
            return Item("i", title, Verdict.DEFICIENCY, "The library has more documents than its hierarchy needs.",
                        problems + evidence, pages=("hierarchy",))
        return Item(
            "i", title, Verdict.NO_DEFICIENCY,
            "Each level of the hierarchy has fewer documents than the level below it"
            + (", and there are not more than twice as many processes as the clause list calls for."
               if process_clauses else "."),
            evidence, pages=("hierarchy",),
        )

    def detail(self) -> Item:
        title = "Excessively detailed documents"
        limits = self.settings.max_words
        words = {id(d): len(_WORD.findall(d.body)) for d in self.current}
        long_docs = [d for d in self.current if words[id(d)] > limits.get(d.doc_type, 1 << 30)]
        evidence = [
            Evidence(f"Limits: {', '.join(f'{t} {limits[t]:,} words' for t in HIERARCHY if t in limits)} "
                     f"(about {READING_WORDS_PER_MINUTE} words a minute to read).")
        ]
        for doc_type in HIERARCHY:
            of_type = [d for d in self.current if d.doc_type is doc_type]
            if of_type:
                longest = max(of_type, key=lambda d: (words[id(d)], d.id or ""))
                evidence.append(Evidence(f"Longest {doc_type}, {_length(words[id(longest)])}:", (longest,)))
        if long_docs:
            found = [
                Evidence(f"{_length(words[id(d)])}, above the {limits[d.doc_type]:,} words set for a {d.doc_type}:", (d,))
                for d in long_docs
            ]
            return Item("j", title, Verdict.DEFICIENCY,
                        f"{len(long_docs)} document(s) are longer than the limit for their type: too long to use "
                        "at the point of use.", found + evidence)
        return Item("j", title, Verdict.NO_DEFICIENCY, "No current document is longer than the limit for its type.", evidence)

    # -- l -------------------------------------------------------------------------------------

    def documented_information(self) -> Item:
        title = "Missing plans, objectives, service level agreements or records"
        kinds = [kind for kind in self.clauses.kinds if kind not in TYPE_KINDS]
        if not kinds:
            return Item("l", title, Verdict.TO_JUDGE,
                        "The clause list names no plan, objective, agreement or record to look for; compare the "
                        "library with the standard's requirements.", pages=("coverage",))
        evidence, missing = [], []
        for clause in self.clauses.clauses:
            for kind in (k for k in clause.documents if k in kinds):
                providers = self._providers(clause, kind)
                if providers:
                    evidence.append(Evidence(f"{_clause(clause)}, {_kind(kind)}:", tuple(providers)))
                else:
                    missing.append(f"{_kind(kind)} ({clause.number})")
                    evidence.append(Evidence(f"{_clause(clause)}, {_kind(kind)}: not found ({_how_found(kind)})"))
        if missing:
            return Item("l", title, Verdict.DEFICIENCY, f"Not found in the library: {', '.join(missing)}.",
                        evidence, pages=("coverage", "records"))
        return Item("l", title, Verdict.NO_DEFICIENCY,
                    "Every plan, objective, agreement and record the clause list asks for was found.",
                    evidence, pages=("coverage", "records"))

    def _providers(self, clause: Clause, kind: str) -> list[Document]:
        claiming = self.claims.get(clause.number, [])
        if kind == RECORDS:
            return [d for d in claiming if d.records]
        found = [d for d in claiming if kind in {tag.casefold() for tag in d.tags}]
        for doc in claiming:
            for external in self.library.references_of(doc):
                if external.path in self.visible and kind in {tag.casefold() for tag in external.tags} and external not in found:
                    found.append(external)
        return found

    # -- o, p, q -----------------------------------------------------------------------------

    def overlaps(self) -> Item:
        title = "Overlaps, duplicates and parts left undocumented"
        codes = ("SMS201", "SMS402", "SMS208")
        evidence = self.evidence_of(self.findings(*codes))
        gaps = [c for c in self.clauses.leaves if not self.claims.get(c.number)]
        if gaps:
            evidence.append(Evidence(f"Clauses no current document claims: {_numbers(gaps)}."))
        for clause in self.clauses.leaves:
            processes = [d for d in self.claims.get(clause.number, []) if d.doc_type is DocType.PROCESS]
            if len(processes) > 1:
                evidence.append(Evidence(f"{_clause(clause)} is claimed by {len(processes)} processes:", tuple(processes)))
        if evidence:
            return Item("o", title, Verdict.DEFICIENCY,
                        "Some parts overlap or are duplicated, or some clauses and levels are left undocumented.",
                        evidence, codes, ("coverage", "hierarchy"))
        return Item("o", title, Verdict.NO_DEFICIENCY,
                    "No duplicate ids or texts, every clause is claimed, every process has procedures, and no "
                    "clause has two processes.", [], codes, ("coverage", "hierarchy"))

    def achievements(self) -> Item:
        title = "Missing records of what was achieved"
        processes = [d for d in self.current if d.doc_type is DocType.PROCESS]
        declared = [d for d in self.current if d.records]
        count = sum(len(d.records) for d in declared)
        if not processes:
            return Item("p", title, Verdict.TO_JUDGE, "The library has no current process to hold records against.",
                        [], ("SMS406",), ("records",))
        evidence = [Evidence(f"{count} record(s) declared by {len(declared)} current processes and procedures.")]
        silent = [p for p in processes if not self._keeps_records(p)]
        problems = [
            Evidence("Processes that declare no records, neither themselves nor through a current procedure:", tuple(silent))
        ] if silent else []
        problems += self.evidence_of(self.findings("SMS406"))
        if problems:
            return Item("p", title, Verdict.DEFICIENCY,
                        "Some processes do not say which records show what they achieved, or where and how long "
                        "those records are kept.", problems + evidence, ("SMS406",), ("records",))
        return Item("p", title, Verdict.NO_DEFICIENCY,
                    "Every process declares, itself or through its procedures, the records it produces, with their "
                    "location and retention.", evidence, ("SMS406",), ("records",))

    def _keeps_records(self, process: Document) -> bool:
        if process.records:
            return True
        return any(c.records for c in self.library.children_of(process) if c.status is Status.APPROVED)

    def reality(self) -> Item:
        title = "Documents with no relationship to how the work is really done"
        codes = ("SMS305", "SMS306")
        findings = self.findings(*codes)
        overdue = sum(1 for f in findings if f.code == "SMS305")
        suspect = sum(1 for f in findings if f.code == "SMS306")
        if findings:
            return Item("q", title, Verdict.DEFICIENCY,
                        f"{overdue} document(s) are overdue for review and {suspect} suspect after a parent changed: "
                        "they may no longer describe how the work is done.",
                        self.evidence_of(findings), codes, ("reviews",))
        return Item("q", title, Verdict.TO_JUDGE,
                    "Every document was reviewed on schedule and none is suspect. Whether each one matches how the "
                    "work is really done is for an auditor to judge, by sampling records against procedures.",
                    [], codes, ("reviews",))


def _clause(clause: Clause) -> str:
    return f"{clause.number} {clause.title}".strip()


def _numbers(clauses: list[Clause]) -> str:
    return ", ".join(clause.number for clause in clauses)


def _plural(doc_type: DocType) -> str:
    return "policies" if doc_type is DocType.POLICY else f"{doc_type}es"


def _length(words: int) -> str:
    minutes = max(1, round(words / READING_WORDS_PER_MINUTE))
    return f"{words:,} words, about {minutes} minute{'s' if minutes != 1 else ''} to read"


_KIND_NAMES = {"sla": "service level agreement", RECORDS: "records"}


def _kind(kind: str) -> str:
    return _KIND_NAMES.get(kind, kind.replace("-", " ").replace("_", " "))


def _how_found(kind: str) -> str:
    if kind == RECORDS:
        return "no current process or procedure claiming the clause declares `records`"
    return f"no current document claiming the clause, nor an external document it references, is tagged `{kind}`"
