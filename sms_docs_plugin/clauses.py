"""The clause list the library answers to: ISO/IEC 20000-1:2018 by default, replaced by the
file the `clauses` option names (another standard, another edition).

Each clause has its number, a short title and, optionally, what it asks to be documented
(`documents: [policy, process]`). Coverage lists the clauses; the assessment (ISO/IEC TR
20000-5, Annex D.2 a-c and l) reads what they ask for, so a replaced list drives both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import DocType
from .settings import Settings

DEFAULT_CLAUSES = Path(__file__).resolve().parent / "data" / "clauses.yaml"
# The kinds of documented information a clause may ask for that are documents of the library
# by type; `records` are declared records; any other kind (plan, objectives, sla...) is a
# document that carries the kind among its `tags`.
TYPE_KINDS = {"policy": DocType.POLICY, "process": DocType.PROCESS, "procedure": DocType.PROCEDURE}
RECORDS = "records"


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    documents: tuple[str, ...] = ()  # kinds of documented information the clause asks for
    heading: bool = False  # the list has sub-clauses of it: documents claim those instead


@dataclass(frozen=True)
class ClauseList:
    standard: str
    clauses: tuple[Clause, ...]
    problem: str = ""  # why the file could not be read, shown where the list would be

    @property
    def leaves(self) -> list[Clause]:
        return [clause for clause in self.clauses if not clause.heading]

    def asking_for(self, kind: str) -> list[Clause]:
        return [clause for clause in self.clauses if kind in clause.documents]

    @property
    def kinds(self) -> list[str]:
        """Every kind of documented information the list asks for, in order of first mention."""
        return list(dict.fromkeys(kind for clause in self.clauses for kind in clause.documents))


def clause_file(settings: Settings) -> Path:
    if not settings.clauses:
        return DEFAULT_CLAUSES
    source = Path(settings.clauses)
    return source if source.is_absolute() else settings.root / source


def load_clauses(settings: Settings) -> ClauseList:
    """The clause list; a file that cannot be read gives an empty list that says why."""
    source = clause_file(settings)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return ClauseList("", (), f"the clause list {source.name} cannot be read: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("clauses", []), list):
        return ClauseList("", (), f"the clause list {source.name} must be a mapping with a `clauses` list")
    entries = [entry for entry in data.get("clauses") or [] if isinstance(entry, dict) and entry.get("number") is not None]
    numbers = [str(entry["number"]) for entry in entries]
    clauses = tuple(
        Clause(
            number,
            str(entry.get("title") or ""),
            _kinds(entry.get("documents")),
            any(other.startswith(number + ".") for other in numbers),
        )
        for number, entry in zip(numbers, entries, strict=True)
    )
    return ClauseList(str(data.get("standard") or ""), clauses)


def _kinds(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return tuple(dict.fromkeys(str(item).strip().lower() for item in items if str(item).strip()))
