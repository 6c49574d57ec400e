#!/usr/bin/env python3
"""Generate a synthetic SMS library git repository for the benchmark.

    python bench/generate.py OUT_DIR --docs N --commits M [--seed S]

The repository looks like a real library (SPEC §1): ``mkdocs.yml``, ``content/``,
``policies/``, ``processes/``, ``procedures/`` (with sub-folders). Documents are 5 %
policies, 20 % processes and 75 % procedures in a valid hierarchy: one root policy
``POL-SMS``, every other policy under it, every process under 1-2 policies, every
procedure under 1-2 processes, every policy with a process and every process with a
procedure. Bodies are 300-1500 words with each type's required sections, written by a
seeded sentence generator so that no two bodies are near-duplicates.

History: one scaffold commit, then batches that add the documents, then commits that edit
1-5 documents each. Every edit of an approved document bumps its version (minor usually,
major sometimes) with a new, never repeated ``change`` sentence and a new ``approved`` date;
a new major version of a policy or process is followed, in later commits, by a new version
or a review of every document below it (so nothing stays suspect, SMS306); some commits
only move ``review`` dates (periodic reviews); about 1 % of commits move a file into a
sub-folder without changing it. Dates run from 2017 to 2026-11-01, every ``review`` date of
the final state is after 2026-12-31, and the final state has no finding under SPEC §3.

The whole history is streamed into one ``git fast-import`` process. Everything, including
author and committer names and dates, derives from the seed, so a given
(docs, commits, seed) always yields the same commit hashes.

Standard library only (Python 3.11+) plus the ``git`` executable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import itertools
import json
import math
import random
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vocab as V  # noqa: E402

# Bump when the output for a given (docs, commits, seed) changes: run.py keys its cache on
# this and on the source of this file and vocab.py.
GENERATOR_VERSION = "1"

START = dt.date(2017, 1, 2)  # a Monday
END = dt.date(2026, 11, 1)  # last possible commit / approval date
REVIEW_AFTER = dt.date(2026, 12, 31)  # every final review date is later than this
REVIEW_LEAD = dt.timedelta(days=62)  # a document is reviewed this long before it falls due
ADD_SHARE = 0.08  # share of the time span used by the commits that add documents
MOVE_SHARE = 0.01  # share of edit-phase commits that move a file
MAJOR_RATE = {"policy": 0.06, "process": 0.10, "procedure": 0.15}
TYPES = ("policy", "process", "procedure")
FOLDER = {"policy": "policies", "process": "processes", "procedure": "procedures"}
PREFIX = {"policy": "POL", "process": "PRC", "procedure": "PRO"}
SUB_FOLDERS = ["core", "operations", "escalations", "regional", "tooling", "reporting",
               "customer-facing", "legacy"]
TEAMS = ["service desk", "resolver group", "process team", "operations team",
         "support team", "review panel", "project team", "duty team"]
MODALS = ["shall", "must", "should", "is required to", "is expected to", "will", "may"]
PASSIVES = ["is", "must be", "shall be", "should be", "is normally", "is always"]
STATES2 = ["complete", "current", "approved", "signed off", "visible to the customer",
           "assigned to an owner", "within the agreed target"]
SECTIONS = {
    "policy": ["Purpose", "Scope", "Policy statements", "Roles and responsibilities"],
    "process": ["Purpose", "Scope", "Inputs and outputs", "Activities",
                "Roles and responsibilities", "Measures"],
    "procedure": ["Purpose", "When to use", "Roles", "Inputs", "Steps", "Records"],
}
WORDS = {"policy": (450, 1200), "process": (600, 1500), "procedure": (300, 900)}
MIN_WORDS, MAX_WORDS = 300, 1500


# --------------------------------------------------------------------------- words

def _third(verb: str) -> str:
    head, _, tail = verb.partition(" ")
    if head.endswith(("s", "sh", "ch", "x", "z")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {tail}" if tail else head


def _pp(verb: str) -> str:
    if verb in V.IRREGULAR_PP:
        return V.IRREGULAR_PP[verb]
    head, _, tail = verb.partition(" ")
    if head in ("submit", "plan"):
        head = head + head[-1] + "ed"
    elif head.endswith("e"):
        head += "d"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ied"
    else:
        head += "ed"
    return f"{head} {tail}" if tail else head


def _plural(noun: str) -> str:
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith("criterion"):
        return noun[:-9] + "criteria"
    return noun + "s"


VERBS = [(v, _third(v), _pp(v)) for v in dict.fromkeys(V.VERBS)]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


class Writer:
    """Seeded sentence generator; `use()` points it at one document's vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.doc: Doc | None = None

    def use(self, doc: Doc) -> Writer:
        self.doc = doc
        return self

    # --- phrases
    def noun(self) -> str:
        r = self.rng.random()
        d = self.doc
        if r < 0.30:
            return self.rng.choice(d.terms)
        if r < 0.60:
            return self.rng.choice(V.DOMAINS[d.dom][7])
        return self.rng.choice(V.NOUNS)

    def obj(self) -> str:
        rng = self.rng
        det = rng.choice(V.DETERMINERS)
        r = rng.random()
        if r < 0.25:
            return f"{det} {rng.choice(self.doc.terms)}"  # a term already carries an adjective
        if r < 0.5:
            return f"{det} {rng.choice(V.ADJECTIVES)} {self.noun_plain()}"
        return f"{det} {self.noun_plain()}"

    def noun_plain(self) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(V.DOMAINS[self.doc.dom][7])
        return self.rng.choice(V.NOUNS)

    def role(self) -> str:
        return self.rng.choice(self.doc.roles)

    def subj(self) -> str:
        if self.rng.random() < 0.7:
            return f"the {self.role()}"
        return f"the {self.rng.choice(TEAMS)}"

    def scope(self) -> str:
        return self.rng.choice(V.SCOPES)

    def qual(self) -> str:
        rng = self.rng
        k = rng.randrange(20)
        if k == 0:
            return f" within {rng.randint(1, 15)} working days"
        if k == 1:
            return f" within {rng.choice((2, 4, 8, 12, 24, 48))} hours of {rng.choice(V.EVENTS)}"
        if k == 2:
            return f" before {self.obj()} is closed"
        if k == 3:
            return f" at least every {rng.choice((1, 3, 6, 12))} months"
        if k == 4:
            return f" no later than {rng.randint(2, 30)} days before the {self.noun()}"
        if k == 5:
            return f" using the {rng.choice(V.SYSTEMS)}"
        if k == 6:
            return f" in the {rng.choice(V.SYSTEMS)}"
        if k == 7:
            return f" for every {rng.choice(V.ADJECTIVES)} {self.noun()}"
        if k == 8:
            return f" as part of the {rng.choice(V.PERIODS)}"
        if k == 9:
            return f" after each {self.noun()}"
        if k == 10:
            return f" with the agreement of the {self.role()}"
        if k == 11:
            return f" according to the {self.noun()}"
        if k == 12:
            return f" where {self.obj()} exceeds {rng.randint(5, 95)} percent of the {self.noun()}"
        if k == 13:
            return f" unless the {self.role()} grants an exception"
        if k == 14:
            return f" for {self.scope()}"
        return ""

    def cond(self) -> str:
        rng = self.rng
        k = rng.randrange(10)
        if k == 0:
            return f"when {self.obj()} is {rng.choice(V.STATES)}"
        if k == 1:
            return f"if {self.obj()} cannot be {rng.choice(VERBS)[2]} within {rng.randint(2, 72)} hours"
        if k == 2:
            return f"where {self.obj()} affects more than {rng.choice((5, 10, 20, 50, 100, 250, 500))} users"
        if k == 3:
            return f"before {self.obj()} is {rng.choice(VERBS)[2]}"
        if k == 4:
            return f"once the {self.role()} has {rng.choice(VERBS)[2]} {self.obj()}"
        if k == 5:
            return f"if the customer disputes {self.obj()}"
        if k == 6:
            return f"whenever a {rng.choice(V.ADJECTIVES)} {self.noun()} is raised"
        if k == 7:
            return f"during the {rng.choice(V.PERIODS)}"
        if k == 8:
            return f"after {rng.choice(V.EVENTS)}"
        return f"if more than {rng.randint(2, 40)} {_plural(self.noun())} are {rng.choice(V.STATES)}"

    def outcome(self) -> str:
        rng = self.rng
        k = rng.randrange(11)
        if k == 0:
            return f"{self.obj()} remains accurate"
        if k == 1:
            return f"customers receive consistent information about {self.obj()}"
        if k == 2:
            return f"the {self.role()} can make an informed decision on {self.obj()}"
        if k == 3:
            return f"{self.obj()} is available at the point of use"
        if k == 4:
            return f"the organization can demonstrate conformity for {self.obj()}"
        if k == 5:
            return f"risks to {self.obj()} are understood"
        if k == 6:
            return f"lessons are captured in the {rng.choice(V.SYSTEMS)}"
        if k == 7:
            return f"no {self.noun()} is left without an owner"
        if k == 8:
            return f"auditors can trace {self.obj()} to its approval"
        if k == 9:
            return f"the {rng.choice(V.PERIODS)} has complete information"
        return f"the workload is balanced across {self.scope()}"

    # --- sentences
    def sentence(self) -> str:
        rng = self.rng
        k = rng.randrange(13)
        v = rng.choice(VERBS)
        if k <= 2:
            return _cap(f"{self.subj()} {rng.choice(MODALS)} {v[0]} {self.obj()}{self.qual()}.")
        if k <= 4:
            return _cap(f"{self.cond()}, {self.subj()} {rng.choice(MODALS)} {v[0]} {self.obj()}{self.qual()}.")
        if k == 5:
            return _cap(f"{self.subj()} {v[1]} {self.obj()} so that {self.outcome()}.")
        if k == 6:
            return _cap(f"{self.obj()} {rng.choice(PASSIVES)} {v[2]} by the {self.role()}{self.qual()}.")
        if k == 7:
            return f"This ensures that {self.outcome()}."
        if k == 8:
            return (f"Records of {self.obj()} are kept for {rng.randint(1, 10)} years in the "
                    f"{rng.choice(V.SYSTEMS)}.")
        if k == 9:
            return _cap(f"{self.subj()} and the {self.role()} {v[0]} {self.obj()} together{self.qual()}.")
        if k == 10:
            return (f"Each {self.noun()} includes the {self.noun()}, the {self.noun()} and the "
                    f"{self.noun()}.")
        if k == 11:
            return _cap(f"where {self.obj()} is {rng.choice(V.STATES)}, the {self.role()} {v[1]} "
                        f"{self.obj()} and informs the {self.role()}{self.qual()}.")
        return _cap(f"{self.obj()} {rng.choice(PASSIVES)} {v[2]} at least every "
                    f"{rng.randint(2, 24)} months and after any {rng.choice(V.ADJECTIVES)} "
                    f"{self.noun()}.")

    def paragraph(self, lo: int = 3, hi: int = 6) -> list[str]:
        return [self.sentence() for _ in range(self.rng.randint(lo, hi))]

    def step(self, n_before: int) -> str:
        rng = self.rng
        k = rng.randrange(10)
        v = rng.choice(VERBS)
        if k <= 2:
            s = f"{_cap(v[0])} {self.obj()}{self.qual()}."
        elif k == 3:
            s = (f"Check that {self.obj()} is {rng.choice(STATES2)}; if it is not, "
                 f"{rng.choice(VERBS)[0]} {self.obj()}.")
        elif k == 4:
            s = f"Record the {self.noun()} in the {rng.choice(V.SYSTEMS)}{self.qual()}."
        elif k == 5:
            s = f"Notify the {self.role()}{self.qual()}."
        elif k == 6:
            s = f"Ask the {self.role()} to {v[0]} {self.obj()}."
        elif k == 7 and n_before >= 2:
            s = (f"If {self.obj()} is {rng.choice(V.STATES)}, go back to step "
                 f"{rng.randint(1, n_before)}.")
        elif k == 8:
            s = (f"Wait for the {self.role()} to {v[0]} {self.obj()}, then "
                 f"{rng.choice(VERBS)[0]} {self.obj()}.")
        else:
            s = f"{_cap(v[0])} {self.obj()} and {rng.choice(VERBS)[0]} {self.obj()}{self.qual()}."
        if rng.random() < 0.35:
            s += " " + self.sentence()
        return s

    def statement(self) -> str:
        v = self.rng.choice(VERBS)
        s = f"The organization shall {v[0]} {self.obj()}{self.qual()}."
        if self.rng.random() < 0.6:
            s += " " + self.sentence()
        return s

    def role_item(self, role: str) -> str:
        v = self.rng.choice(VERBS)
        return f"**{role}**: {v[1]} {self.obj()}{self.qual()}."

    def io_item(self) -> str:
        return _cap(f"{self.obj()} from the {self.role()}")

    def measure(self) -> str:
        rng = self.rng
        k = rng.randrange(4)
        if k == 0:
            return (f"Percentage of {_plural(self.noun())} {rng.choice(VERBS)[2]} within target: "
                    f"at least {rng.randint(70, 99)}%")
        if k == 1:
            return (f"Average time to {rng.choice(VERBS)[0]} {self.obj()}: under "
                    f"{rng.choice((2, 4, 8, 16, 24, 40, 72))} hours")
        if k == 2:
            return (f"Number of {rng.choice(V.ADJECTIVES)} {_plural(self.noun())} per month: "
                    f"fewer than {rng.randint(3, 60)}")
        return (f"Share of {_plural(self.noun())} reviewed in the {rng.choice(V.PERIODS)}: "
                f"{rng.randint(80, 100)}%")

    def record(self) -> tuple[str, str, int]:
        """A record the document produces: (name, where it is kept, years kept)."""
        return _cap(self.noun()), self.rng.choice(V.SYSTEMS), self.rng.randint(1, 10)

    def cond_item(self) -> str:
        return _cap(self.cond())


# --------------------------------------------------------------------------- documents

class Doc:
    __slots__ = (
        "idx", "id", "type", "dom", "title", "path", "major", "minor", "status", "owner",
        "approver", "approved", "effective", "review", "parents", "children", "clauses",
        "change", "classification", "tags", "terms", "roles", "sections", "body", "words",
        "desc", "n_versions", "records",
    )

    def __init__(self, idx: int, doc_id: str, type_: str, dom: int) -> None:
        self.idx, self.id, self.type, self.dom = idx, doc_id, type_, dom
        self.parents: list[Doc] = []
        self.children: list[Doc] = []
        self.effective: dt.date | None = None
        self.approved: dt.date | None = None
        self.review: dt.date | None = None
        self.approver: str | None = None
        self.change: str | None = None
        self.classification: str | None = None
        self.tags: list[str] = []
        self.records: list[tuple[str, str, int]] = []
        self.body = ""
        self.words = 0
        self.desc: list[Doc] | None = None
        self.n_versions = 1

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}"


_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()'/%-]*$")


def _yq(s: str) -> str:
    """A YAML scalar for `s`: plain when safe, else double-quoted (JSON is valid YAML)."""
    if _SAFE.match(s) and ": " not in s and " #" not in s:
        return s
    return json.dumps(s)


def front_matter(d: Doc) -> str:
    out = [
        "---",
        f"id: {d.id}",
        f"type: {d.type}",
        f"title: {_yq(d.title)}",
        f'version: "{d.version}"',
        f"status: {d.status}",
        f"owner: {_yq(d.owner)}",
    ]
    if d.status == "approved":
        out.append(f"approver: {_yq(d.approver)}")
        out.append(f"approved: {d.approved.isoformat()}")
        if d.effective:
            out.append(f"effective: {d.effective.isoformat()}")
        out.append(f"review: {d.review.isoformat()}")
    if d.parents:
        out.append("parents: [" + ", ".join(p.id for p in d.parents) + "]")
    out.append("clauses: [" + ", ".join(f'"{c}"' for c in d.clauses) + "]")
    if d.change:
        out.append(f"change: {_yq(d.change)}")
    if d.classification:
        out.append(f"classification: {d.classification}")
    if d.tags:
        out.append("tags: [" + ", ".join(d.tags) + "]")
    if d.records:  # the records retention schedule (SMS406)
        out.append("records:")
        out += [f"  - {{name: {_yq(name)}, location: {_yq(_cap(where))}, retention: \"{years}y\"}}"
                for name, where, years in d.records]
    out.append("---")
    return "\n".join(out) + "\n"


def render_body(d: Doc) -> None:
    parts = [f"# {d.title}\n"]
    for heading, blocks in d.sections:
        parts.append(f"## {heading}\n")
        for kind, items in blocks:
            if kind == "p":
                parts.append(" ".join(items) + "\n")
            elif kind == "lead":
                parts.append(items[0] + "\n")
            elif kind == "ol":
                parts.append("\n".join(f"{i}. {t}" for i, t in enumerate(items, 1)) + "\n")
            else:
                parts.append("\n".join(f"- {t}" for t in items) + "\n")
    d.body = "\n".join(parts)
    d.words = d.body.count(" ") + d.body.count("\n")


def build_body(d: Doc, w: Writer) -> None:
    rng = w.rng
    w.use(d)
    t = d.type
    S: list[tuple[str, list[list]]] = []
    if t == "policy":
        S.append(("Purpose", [["p", w.paragraph(3, 5)]]))
        S.append(("Scope", [["p", w.paragraph(2, 4)],
                            ["ul", [_cap(s) for s in rng.sample(V.SCOPES, rng.randint(3, 6))]]]))
        S.append(("Policy statements", [["ol", [w.statement() for _ in range(rng.randint(6, 11))]]]))
        roles = rng.sample(d.roles, min(len(d.roles), rng.randint(3, 5)))
        S.append(("Roles and responsibilities", [["ul", [w.role_item(r) for r in roles]]]))
        if rng.random() < 0.5:
            S.append(("Compliance", [["p", w.paragraph(2, 4)]]))
    elif t == "process":
        S.append(("Purpose", [["p", w.paragraph(3, 5)]]))
        S.append(("Scope", [["p", w.paragraph(2, 4)],
                            ["ul", [_cap(s) for s in rng.sample(V.SCOPES, rng.randint(2, 5))]]]))
        S.append(("Inputs and outputs", [
            ["lead", ["**Inputs**"]], ["ul", [w.io_item() for _ in range(rng.randint(2, 5))]],
            ["lead", ["**Outputs**"]], ["ul", [w.io_item() for _ in range(rng.randint(2, 5))]],
        ]))
        S.append(("Activities", [["p", w.paragraph(1, 2)],
                                 ["ol", [w.step(i) for i in range(rng.randint(5, 10))]]]))
        roles = rng.sample(d.roles, min(len(d.roles), rng.randint(3, 5)))
        S.append(("Roles and responsibilities", [["ul", [w.role_item(r) for r in roles]]]))
        S.append(("Measures", [["ul", [w.measure() for _ in range(rng.randint(3, 6))]]]))
        d.records = [w.record() for _ in range(rng.randint(1, 3))]  # declared, with no section
        if rng.random() < 0.4:
            S.append(("Interfaces", [["p", w.paragraph(2, 4)]]))
    else:
        S.append(("Purpose", [["p", w.paragraph(2, 3)]]))
        S.append(("When to use", [["p", w.paragraph(1, 2)],
                                  ["ul", [w.cond_item() for _ in range(rng.randint(2, 4))]]]))
        roles = rng.sample(d.roles, min(len(d.roles), rng.randint(2, 4)))
        S.append(("Roles", [["ul", [w.role_item(r) for r in roles]]]))
        S.append(("Inputs", [["ul", [w.io_item() for _ in range(rng.randint(2, 5))]]]))
        S.append(("Steps", [["ol", [w.step(i) for i in range(rng.randint(5, 12))]]]))
        d.records = [w.record() for _ in range(rng.randint(2, 4))]
        S.append(("Records", [["ul", [f"{name} in the {where}, retained for {years} years"
                                      for name, where, years in d.records]]]))
        if rng.random() < 0.3:
            S.append(("Exceptions", [["p", w.paragraph(1, 3)]]))
    d.sections = S
    render_body(d)
    target = rng.randint(*WORDS[t])
    while d.words < target:
        _grow(d, w)
        render_body(d)


def _editable(d: Doc) -> list[tuple[str, list]]:
    return [(h, b) for h, blocks in d.sections for b in blocks if b[0] in ("p", "ol")]


def _grow(d: Doc, w: Writer) -> tuple[str, str]:
    """Add one sentence or list item; returns (section, kind of change)."""
    rng = w.rng
    heading, block = rng.choice(_editable(d))
    if block[0] == "p":
        block[1].insert(rng.randint(0, len(block[1])), w.sentence())
        return heading, "sentence"
    items = block[1]
    pos = rng.randint(0, len(items))
    if heading == "Policy statements":
        items.insert(pos, w.statement())
    else:
        items.insert(pos, w.step(pos))
    return heading, "item"


def edit_body(d: Doc, w: Writer, major: bool) -> tuple[str, str]:
    """Change the body (one change, or several for a major version); returns what changed."""
    rng = w.rng
    w.use(d)
    first = None
    for _ in range(rng.randint(3, 6) if major else 1):
        r = rng.random()
        if d.words > MAX_WORDS - 80:
            r = 0.9  # shrink
        elif d.words < MIN_WORDS + 60:
            r = 0.1  # grow
        heading, block = rng.choice(_editable(d))
        items = block[1]
        if r < 0.35:
            heading, what = _grow(d, w)
        elif r < 0.6:
            i = rng.randrange(len(items))
            if block[0] == "p":
                items[i] = w.sentence()
            elif heading == "Policy statements":
                items[i] = w.statement()
            else:
                items[i] = w.step(i)
            what = "reword"
        elif r < 0.8:
            if block[0] == "p":
                block[1] = w.paragraph(2, 5)
            else:
                items.append(w.statement() if heading == "Policy statements" else w.step(len(items)))
            what = "rewrite"
        else:
            if len(items) > 3:
                del items[rng.randrange(len(items))]
                what = "remove"
            else:
                heading, what = _grow(d, w)
        render_body(d)
        first = first or (heading, what)
    return first


# --------------------------------------------------------------------------- library

def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    day = min(d.day, [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28,
                      31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1])
    return dt.date(y, m, day)


def plan_library(n: int, rng: random.Random) -> list[Doc]:
    n_pol = max(1, round(n * 0.05))
    n_prc = max(n_pol, round(n * 0.20))
    n_pro = n - n_pol - n_prc
    if n_pro < n_prc:
        raise SystemExit(f"--docs {n} is too small for a valid hierarchy (need at least 3)")
    width = max(4, len(str(max(n_pol, n_prc, n_pro))))
    docs: list[Doc] = []
    titles: set[str] = set()

    def unique(base: str, extra) -> str:
        t = base
        for _ in range(6):
            if t.lower() not in titles:
                break
            t = f"{base} for {extra()}"
        k = 2
        while t.lower() in titles:
            t = f"{base} {k}"
            k += 1
        titles.add(t.lower())
        return t

    scope = lambda: rng.choice(V.SCOPES)  # noqa: E731
    order = list(range(1, len(V.DOMAINS))) + [0]
    # policies
    root = Doc(0, "POL-SMS", "policy", 0)
    root.title = unique("Service management policy", scope)
    docs.append(root)
    policies = [root]
    for i in range(1, n_pol):
        dom = order[(i - 1) % len(order)]
        d = Doc(len(docs), f"POL-{V.DOMAINS[dom][0]}-{i:0{width}d}", "policy", dom)
        d.title = unique(f"{V.DOMAINS[dom][1]} policy", scope)
        d.parents = [root]
        docs.append(d)
        policies.append(d)
    # processes
    processes = []
    for i in range(n_prc):
        parent = policies[i] if i < n_pol else rng.choice(policies)
        dom = parent.dom
        d = Doc(len(docs), f"PRC-{V.DOMAINS[dom][0]}-{i + 1:0{width}d}", "process", dom)
        d.title = unique(f"{V.DOMAINS[dom][1]} {rng.choice(V.PROCESS_ASPECTS)}", scope)
        d.parents = [parent]
        if len(policies) > 1 and rng.random() < 0.3:
            other = rng.choice(policies)
            if other is not parent:
                d.parents.append(other)
        docs.append(d)
        processes.append(d)
    by_dom: dict[int, list[Doc]] = {}
    for p in processes:
        by_dom.setdefault(p.dom, []).append(p)
    # procedures
    for i in range(n_pro):
        parent = processes[i] if i < n_prc else rng.choice(processes)
        dom = parent.dom
        d = Doc(len(docs), f"PRO-{V.DOMAINS[dom][0]}-{i + 1:0{width}d}", "procedure", dom)
        d.title = unique(f"{rng.choice(V.PROC_VERBS)} {rng.choice(V.DOMAINS[dom][6])}", scope)
        d.parents = [parent]
        if rng.random() < 0.2:
            pool = by_dom[dom] if len(by_dom[dom]) > 1 else processes
            other = rng.choice(pool)
            if other is not parent:
                d.parents.append(other)
        docs.append(d)
    for d in docs:
        for p in d.parents:
            p.children.append(d)
        dom = V.DOMAINS[d.dom]
        d.owner = rng.choice(dom[4])
        d.roles = list(dict.fromkeys([d.owner, *dom[4], *dom[5], *rng.sample(V.GENERIC_ROLES, 4)]))
        d.terms = [f"{rng.choice(V.ADJECTIVES)} {rng.choice(dom[7] + V.NOUNS)}" for _ in range(5)]
        if d.type == "policy":
            d.clauses = sorted(set(dom[3][: rng.randint(1, len(dom[3]))]) | {"5.2"}, key=_clause_key)
        else:
            d.clauses = list(dom[3])
        r = rng.random()
        d.classification = "public" if r < 0.1 else ("internal" if r < 0.25 else None)
        if rng.random() < 0.2:
            d.tags = [dom[2]]
    # folders: git rewrites a whole tree object for every change below it, so no folder
    # grows past ~80 entries (a real library of 10,000 documents is organised the same way)
    per_dom: dict[tuple[str, int], int] = {}
    for d in docs:
        per_dom[(d.type, d.dom)] = per_dom.get((d.type, d.dom), 0) + 1
    seen: dict[tuple[str, int], int] = {}
    for d in docs:
        key = (d.type, d.dom)
        k = seen[key] = seen.get(key, -1) + 1
        folder = FOLDER[d.type]
        if d.type == "policy" and n_pol <= 60 or d is root:
            pass
        elif per_dom[key] <= 80:
            folder += f"/{V.DOMAINS[d.dom][2]}"
        else:
            folder += f"/{V.DOMAINS[d.dom][2]}/{SUB_FOLDERS[k % len(SUB_FOLDERS)]}"
        d.path = f"{folder}/{d.id.lower()}-{_slug(d.title)[:48].strip('-')}.md"
    return docs


def _clause_key(c: str) -> tuple[int, ...]:
    return tuple(int(x) for x in c.split("."))


def descendants(d: Doc) -> list[Doc]:
    if d.desc is None:
        seen: dict[int, Doc] = {}
        stack = list(d.children)
        while stack:
            c = stack.pop()
            if c.idx not in seen:
                seen[c.idx] = c
                stack.extend(c.children)
        d.desc = sorted(seen.values(), key=lambda x: x.idx)
    return d.desc


# --------------------------------------------------------------------------- history

class Author:
    __slots__ = ("name", "email", "tz", "tzsec", "start", "end")

    def __init__(self, name: str, email: str, tz: str, start: int, end: int) -> None:
        self.name, self.email, self.tz, self.start, self.end = name, email, tz, start, end
        sign = -1 if tz[0] == "-" else 1
        self.tzsec = sign * (int(tz[1:3]) * 3600 + int(tz[3:5]) * 60)


def make_authors(n_docs: int, n_days: int, rng: random.Random) -> list[Author]:
    count = max(8, min(150, n_docs // 40))
    names = [f"{first} {last}" for first in V.AUTHOR_FIRST for last in V.AUTHOR_LAST]
    picked = rng.sample(names, count)
    authors = []
    for i, name in enumerate(picked):
        if i < 3:
            s, e = 0, n_days
        else:
            length = int(n_days * rng.uniform(0.15, 0.6))
            s = rng.randrange(0, max(1, n_days - length // 2))
            e = min(n_days, s + length)
        email = _slug(name).replace("-", ".") + "@example.org"
        authors.append(Author(name, email, rng.choice(V.TIMEZONES), s, e))
    return authors


class Stream:
    """Writes one commit at a time into `git fast-import`."""

    def __init__(self, out: Path) -> None:
        self.proc = subprocess.Popen(
            # zlib level 1: a third faster than the default, the pack ~7 % larger
            ["git", "-c", "pack.compression=1", "fast-import", "--quiet", "--done"], cwd=out,
            stdin=subprocess.PIPE, bufsize=1 << 20)
        self.write = self.proc.stdin.write
        self.count = 0
        self.bytes = 0

    def commit(self, author: Author, ats: int, committer: Author, cts: int, msg: str,
               files: list[tuple[str, str]], renames: list[tuple[str, str]] = ()) -> None:
        m = msg.encode()
        parts = [
            b"commit refs/heads/main\n",
            f"author {author.name} <{author.email}> {ats} {author.tz}\n".encode(),
            f"committer {committer.name} <{committer.email}> {cts} {committer.tz}\n".encode(),
            b"data %d\n" % len(m), m, b"\n",
        ]
        for old, new in renames:
            parts.append(f'R "{old}" "{new}"\n'.encode())
        for path, text in files:
            data = text.encode()
            parts += [b"M 100644 inline ", path.encode(), b"\ndata %d\n" % len(data), data, b"\n"]
        parts.append(b"\n")
        blob = b"".join(parts)
        self.bytes += len(blob)
        self.write(blob)
        self.count += 1

    def close(self) -> None:
        self.write(b"done\n")
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


MKDOCS_YML = """\
site_name: Synthetic SMS library ({n} documents)
docs_dir: content
theme:
  name: material
  features:
    - navigation.prune
plugins:
  - search
  - sms-docs
"""

INDEX_MD = """\
# Synthetic SMS library

This library of {n} controlled documents was generated by `bench/generate.py`
(seed {seed}) to benchmark the sms-docs plugin. Policies, processes and procedures are
published from `policies/`, `processes/` and `procedures/`.
"""


def generate(out: Path, n_docs: int, n_commits: int, seed: int, quiet: bool = False) -> dict:
    t0 = time.perf_counter()
    rng = random.Random(f"sms-docs-bench:{seed}:{n_docs}:{n_commits}")
    w = Writer(rng)
    docs = plan_library(n_docs, rng)
    n_pol = sum(d.type == "policy" for d in docs)

    # --- timeline: business days from START to END
    days = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    n_days = len(days)
    authors = make_authors(n_docs, n_days, rng)

    avg = 12
    if n_commits < 3:
        raise SystemExit("--commits must be at least 3 (scaffold, additions, a last review)")
    n_add = max(1, min(math.ceil(n_docs / avg), n_commits - 2))
    n_edit = n_commits - 1 - n_add
    # batches: random sizes summing to n_docs, exactly n_add of them
    cuts = sorted(rng.sample(range(1, n_docs), n_add - 1)) if n_add > 1 else []
    bounds = [0, *cuts, n_docs]
    add_span = max(1.0, n_days * ADD_SHARE)
    add_pos = sorted(1 + rng.random() * (add_span - 1) for _ in range(n_add))
    edit_pos = sorted(add_span + rng.random() * (n_days - add_span) for _ in range(n_edit))
    if edit_pos:  # the last commit falls on the last business day before END
        edit_pos[-1] = n_days - 1 + 0.5

    last = {"ats": 0, "cts": 0}

    def stamp(pos: float) -> tuple[Author, int, Author, int, dt.date]:
        day_i = min(int(pos), n_days - 1)
        a = None
        for _ in range(8):
            c = rng.choice(authors)
            if c.start <= day_i <= c.end:
                a = c
                break
        a = a or authors[rng.randrange(3)]
        day = days[day_i]
        local = 8 * 3600 + int((pos - int(pos)) * 10 * 3600)
        ats = (day - dt.date(1970, 1, 1)).days * 86400 + local - a.tzsec
        ats = max(ats, last["ats"] + 30)
        if rng.random() < 0.15:
            c = authors[rng.randrange(3)]
            cts = ats + rng.randint(60, 7200)
        else:
            c, cts = a, ats
        cts = max(cts, last["cts"] + 1)
        last["ats"], last["cts"] = ats, cts
        return a, ats, c, cts, day

    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out} exists and is not empty")
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    subprocess.run(["git", "-C", str(out), "config", "gc.auto", "0"], check=True)
    st = Stream(out)
    stats = {"versions": 0, "major_versions": 0, "reviews": 0, "moves": 0, "drafts": 0,
             "reapprovals": 0, "edit_commits": 0, "review_commits": 0, "move_commits": 0}
    cr = [1000]

    def change_text(d: Doc, what: tuple[str, str] | None, major: bool, today: dt.date) -> str:
        w.use(d)
        cr[0] += 1
        if major:
            text = rng.choice([
                f"Restructured the {d.type} around {w.obj()}",
                f"Major revision to introduce {w.obj()} for {w.scope()}",
                f"Rewrote the {d.type} after a redesign of {w.obj()}",
            ])
        else:
            heading, kind = what or ("Purpose", "reword")
            v = rng.choice(VERBS)
            text = {
                "sentence": f"Clarified how {w.obj()} is {v[2]} in the {heading.lower()} section",
                "item": (f"Added a statement on {w.obj()}" if heading == "Policy statements"
                         else f"Added a step to {v[0]} {w.obj()}"),
                "reword": f"Reworded the guidance on {w.obj()}",
                "rewrite": f"Rewrote part of the {heading.lower()} section to cover {w.obj()}",
                "remove": f"Removed the obsolete guidance on {w.obj()}",
            }[kind]
        if rng.random() < 0.5:
            reason = rng.choice(V.REASONS).format(
                year=rng.randint(max(2017, today.year - 2), today.year), noun=w.noun(),
                role=w.role(), clause=rng.choice(d.clauses), system=rng.choice(V.SYSTEMS))
            text += " " + reason
        return f"{text} (change request {cr[0]})."

    def approve(d: Doc, today: dt.date, backdate: bool = True) -> None:
        # a re-approval after a parent's new major version is dated the day of its commit,
        # so that it is never earlier than the parent's approval (SMS306)
        ap = today - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 5)) if backdate else 0)
        if d.approved and ap < d.approved:
            ap = d.approved
        d.approved = ap
        # never the owner: no one approves their own document (SMS311)
        d.approver = rng.choice([r for r in V.DOMAINS[d.dom][5] + ["SMS Manager"] if r != d.owner])
        d.effective = ap + dt.timedelta(days=rng.randint(3, 21)) if rng.random() < 0.1 else None
        d.review = add_months(ap, rng.choice((12, 12, 12, 24)))
        d.status = "approved"
        heapq.heappush(heap, (d.review.toordinal(), d.idx))

    def text_of(d: Doc) -> str:
        return front_matter(d) + "\n" + d.body

    heap: list[tuple[int, int]] = []

    # --- commit 1: scaffolding
    a, ats, c, cts, today = stamp(0.1)
    st.commit(a, ats, c, cts, "Set up the SMS documented-information library", [
        ("mkdocs.yml", MKDOCS_YML.format(n=n_docs)),
        ("content/index.md", INDEX_MD.format(n=n_docs, seed=seed)),
        (".gitignore", "site/\n"),
    ])

    # --- add phase
    pending: dict[int, str] = {}  # idx -> "draft" | "suspect": must get a new version or review
    for b in range(n_add):
        a, ats, c, cts, today = stamp(add_pos[b])
        batch = docs[bounds[b]:bounds[b + 1]]
        files = []
        for d in batch:
            build_body(d, w)
            if d.type == "procedure" and n_edit > 20 and rng.random() < 0.04:
                d.major, d.minor, d.status = 0, 1, "draft"
                pending[d.idx] = "draft"
                stats["drafts"] += 1
            elif rng.random() < 0.15:
                d.major, d.minor = rng.randint(1, 4), rng.randint(0, 6)
                cr[0] += 1
                d.change = ("Migrated from the legacy document management system without "
                            f"change to its content (change request {cr[0]}).")
                approve(d, today - dt.timedelta(days=rng.randint(0, 60)))
            else:
                d.major, d.minor = 1, 0
                approve(d, today - dt.timedelta(days=rng.randint(0, 30)))
            stats["versions"] += 1
            files.append((d.path, text_of(d)))
        kinds: dict[str, int] = {}
        for d in batch:
            kinds[d.type] = kinds.get(d.type, 0) + 1
        what = " and ".join(f"{k} {t if k == 1 else _plural(t)}" for t, k in kinds.items())
        msg = f"Add {what}\n\n" + "\n".join(f"- {d.id} {d.title}" for d in batch) + "\n"
        st.commit(a, ats, c, cts, msg, files)

    # --- edit phase
    due: dict[int, bool] = {}

    def collect_due(limit: dt.date) -> None:
        lim = limit.toordinal()
        while heap and heap[0][0] <= lim:
            o, i = heapq.heappop(heap)
            d = docs[i]
            if d.status == "approved" and d.review.toordinal() == o:
                due[i] = True

    for ci in range(n_edit):
        a, ats, c, cts, today = stamp(edit_pos[ci])
        remaining = n_edit - ci
        is_last = remaining == 1
        collect_due((max(today, END) if is_last else today) + REVIEW_LEAD)
        edits: list[tuple[Doc, str]] = []  # (doc, "edit" | "review")
        renames: list[tuple[str, str]] = []

        if is_last and (pending or due):
            for i, kind in pending.items():
                edits.append((docs[i], "edit" if kind == "draft" else "review"))
            for i in due:
                if i not in pending:
                    edits.append((docs[i], "review"))
        elif rng.random() < MOVE_SHARE and n_docs > 1:
            d = docs[rng.randrange(1, n_docs)]
            top = FOLDER[d.type]
            dom = V.DOMAINS[d.dom][2]
            options = [f"{top}/{dom}"] + [f"{top}/{dom}/{s}" for s in SUB_FOLDERS]
            cur = d.path.rsplit("/", 1)[0]
            new_dir = rng.choice([o for o in options if o != cur])
            new = f"{new_dir}/{d.path.rsplit('/', 1)[1]}"
            renames.append((d.path, new))
            d.path = new
            moved = d
            stats["moves"] += 1
        elif due and (rng.random() < 0.3 or len(due) > 4 * remaining * 0.3):
            k = max(rng.randint(1, 5), math.ceil(len(due) / max(1.0, remaining * 0.3)))
            for i in list(itertools.islice(due, k)):
                edits.append((docs[i], "review"))
        else:
            chosen: dict[int, str] = {}
            if pending:
                q = math.ceil(len(pending) / max(1, remaining - 1))
                if rng.random() < 0.3:
                    q = max(q, 1)
                for i in list(itertools.islice(pending, q)):
                    chosen[i] = "edit" if pending[i] == "draft" or rng.random() < 0.5 else "review"
            for _ in range(max(0, rng.randint(1, 5) - len(chosen))):
                i = rng.randrange(n_docs)
                chosen.setdefault(i, "edit")
            edits = [(docs[i], k) for i, k in chosen.items()]

        files = []
        lines = []
        majors: list[Doc] = []
        n_review = 0
        for d, kind in edits:
            due.pop(d.idx, None)
            was_pending = pending.pop(d.idx, None)
            if kind == "review":
                d.review = add_months(today, 12) + dt.timedelta(days=rng.randint(0, 14))
                heapq.heappush(heap, (d.review.toordinal(), d.idx))
                stats["reviews"] += 1
                n_review += 1
                if was_pending:
                    stats["reapprovals"] += 1
                lines.append(f"- {d.id}: reviewed, no change; next review {d.review.isoformat()}")
            elif d.status == "draft":
                edit_body(d, w, False)
                d.major, d.minor = 1, 0
                cr[0] += 1
                d.change = rng.choice([
                    "First approved issue after consultation with the process owner",
                    "Approved for use after a trial with the service desk",
                    "First issue approved following a walkthrough with the resolver groups",
                ]) + f" (change request {cr[0]})."
                approve(d, today)
                d.n_versions += 1
                stats["versions"] += 1
                lines.append(f"- {d.id} {d.version}: {d.change}")
            else:
                major = False
                if not was_pending and d is not docs[0] and rng.random() < MAJOR_RATE[d.type]:
                    extra = len(descendants(d))
                    major = d.type == "procedure" or (
                        len(pending) + extra <= 2 * (remaining - 2))
                what = edit_body(d, w, major)
                d.change = change_text(d, what, major, today)
                if major:
                    d.major, d.minor = d.major + 1, 0
                    majors.append(d)
                    stats["major_versions"] += 1
                else:
                    d.minor += 1
                if rng.random() < 0.03:
                    d.owner = rng.choice(V.DOMAINS[d.dom][4])
                approve(d, today, backdate=not was_pending)
                d.n_versions += 1
                stats["versions"] += 1
                if was_pending:
                    stats["reapprovals"] += 1
                lines.append(f"- {d.id} {d.version}: {d.change}")
            files.append((d.path, text_of(d)))
        for d in majors:  # children must be re-approved or reviewed in a later commit
            for x in descendants(d):
                if x.idx not in pending:
                    pending[x.idx] = "suspect"
        if renames:
            msg = f"Move {moved.id} to {new_dir}/\n"
            stats["move_commits"] += 1
        elif n_review == len(edits):
            stats["review_commits"] += 1
            if len(edits) == 1:
                msg = f"Periodic review of {edits[0][0].id}, no change\n"
            else:
                msg = f"Periodic review of {len(edits)} documents\n\n" + "\n".join(lines) + "\n"
        else:
            stats["edit_commits"] += 1
            if len(edits) == 1:
                d = edits[0][0]
                msg = f"{d.id} {d.version}: {d.change}\n"
            else:
                msg = f"Update {len(edits)} documents\n\n" + "\n".join(lines) + "\n"
        st.commit(a, ats, c, cts, msg, files, renames)
    st.close()
    subprocess.run(["git", "-C", str(out), "reset", "-q", "--hard"], check=True)

    assert not pending, f"{len(pending)} documents still pending at the end"
    head = subprocess.run(["git", "-C", str(out), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    info = {
        "generator_version": GENERATOR_VERSION, "docs": n_docs, "commits": st.count,
        "seed": seed, "head": head,
        "policies": n_pol, "processes": sum(d.type == "process" for d in docs),
        "procedures": sum(d.type == "procedure" for d in docs),
        "authors": len(authors), "add_commits": n_add,
        "final_words_total": sum(d.words for d in docs),
        "stream_bytes": st.bytes, "seconds": round(time.perf_counter() - t0, 2), **stats,
    }
    (out / ".git" / "sms-bench.json").write_text(json.dumps(info, indent=2) + "\n")
    if not quiet:
        print(json.dumps(info, indent=2))
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="new directory for the repository")
    ap.add_argument("--docs", type=int, required=True, help="number of documents (>= 3)")
    ap.add_argument("--commits", type=int, required=True, help="number of commits")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.docs < 3:
        ap.error("--docs must be at least 3")
    generate(args.out, args.docs, args.commits, args.seed, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
