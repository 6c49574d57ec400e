"""The clause list the library answers to: ISO/IEC 20000-1:2018 by default, replaced by the
file the `clauses` option names (another standard, another edition).

A clause file is `{standard: TEXT, clauses: [{number: "8.5.1", title: TEXT, documents: [...]}]}`.
`documents` says what the clause asks to be documented (`policy`, `process`, `procedure`,
`records`, or any other kind such as `plan`, found as a tag of a document). Coverage lists the
clauses; the assessment (ISO/IEC TR 20000-5, Annex D.2 a-c and l) reads what they ask for, so
a replaced list drives both. The file is read and checked once, when the options are read,
so a bad file is a setup error from both doors instead of a crash while a page is written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .model import DocType

PACKAGED = Path(__file__).resolve().parent / "data" / "clauses.yaml"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # LibYAML reads the packaged list in a tenth of the time


# The kinds of documented information a clause may ask for that are documents of the library
# by type; `records` are declared records; any other kind (plan, objectives, sla...) is a
# document that carries the kind among its `tags`.
TYPE_KINDS = {"policy": DocType.POLICY, "process": DocType.PROCESS, "procedure": DocType.PROCEDURE}
RECORDS = "records"


class ClauseFileError(Exception):
    """The file cannot be read, or is not a clause list; the message, to follow the file's
    name, says what to fix."""


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

    @property
    def leaves(self) -> list[Clause]:
        return [clause for clause in self.clauses if not clause.heading]

    def asking_for(self, kind: str) -> list[Clause]:
        return [clause for clause in self.clauses if kind in clause.documents]

    @property
    def kinds(self) -> list[str]:
        """Every kind of documented information the list asks for, in order of first mention."""
        return list(dict.fromkeys(kind for clause in self.clauses for kind in clause.documents))


def read_clause_file(path: Path) -> ClauseList:
    try:
        data = yaml.load(path.read_bytes(), Loader=_SAFE_LOADER)
    except OSError as exc:
        raise ClauseFileError(f"cannot be read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ClauseFileError(f"not valid YAML: {_yaml_problem(exc)}") from exc
    except RecursionError as exc:
        raise ClauseFileError("nested too deeply to be a clause list") from exc
    return _clause_list(data)


def _clause_list(data: object) -> ClauseList:
    example = '`{standard: "ISO/IEC 20000-1:2018", clauses: [{number: "4.1", title: "..."}]}`'
    if not isinstance(data, dict) or "clauses" not in data:
        raise ClauseFileError(f"expected a mapping with a `clauses` list, such as {example}")
    standard = data.get("standard", "")
    if not isinstance(standard, str):
        raise ClauseFileError("`standard` must be text naming the standard, such as `ISO/IEC 20000-1:2018`")
    items = data["clauses"]
    if not isinstance(items, list) or not items:
        raise ClauseFileError(f"`clauses` must be a non-empty list of `{{number, title}}` entries, such as {example}")
    clauses: list[Clause] = []
    seen: set[str] = set()
    for position, item in enumerate(items, start=1):
        clause = _clause(item, position)
        if clause.number in seen:
            raise ClauseFileError(f"clause {position}: the number {clause.number!r} is listed twice; list each clause once")
        seen.add(clause.number)
        clauses.append(clause)
    numbers = [clause.number for clause in clauses]
    headed = tuple(
        replace(clause, heading=any(other.startswith(clause.number + ".") for other in numbers)) for clause in clauses
    )
    return ClauseList(standard, headed)


def _clause(item: object, position: int) -> Clause:
    where = f"clause {position}"
    # Further keys (what a clause asks to be documented, say) are accepted: the file may say more.
    if not isinstance(item, dict):
        raise ClauseFileError(f'{where} must be a mapping such as `{{number: "8.5.1", title: "..."}}`')
    number = item.get("number")
    if number is None or (isinstance(number, str) and not number.strip()):
        raise ClauseFileError(f'{where} has no `number`; give it one, such as `number: "8.5.1"`')
    if isinstance(number, float | bool):
        # YAML reads an unquoted 8.10 as the number 8.1, so the text written is lost.
        raise ClauseFileError(f'{where}: the number {number!r} must be quoted, such as `number: "{number}"`')
    if not isinstance(number, str | int):
        raise ClauseFileError(f'{where}: `number` must be text such as `"8.5.1"`')
    title = item.get("title", "")
    if not isinstance(title, str):
        raise ClauseFileError(f"{where} ({number}): `title` must be text")
    documents = item.get("documents", [])
    kinds = documents if isinstance(documents, list) else [documents]
    if not all(isinstance(kind, str) and kind.strip() for kind in kinds):
        raise ClauseFileError(f"{where} ({number}): `documents` must be a list of kinds such as `[policy, records]`")
    return Clause(str(number).strip(), title.strip(), tuple(dict.fromkeys(k.strip().lower() for k in kinds)))


@functools.cache
def packaged_clause_list() -> ClauseList:
    """ISO/IEC 20000-1:2018, shipped with the package: the default of the `clauses` option."""
    return read_clause_file(PACKAGED)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} (line {mark.line + 1})" if mark is not None else problem
