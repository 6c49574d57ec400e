"""The clause list of the coverage page: the packaged ISO/IEC 20000-1 list, or a library's own.

A clause file is `{standard: TEXT, clauses: [{number: "8.5.1", title: TEXT}, ...]}`. It is
read and checked once, when the options are read, so a bad file is a setup error from
both doors instead of a crash while the coverage page is written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

PACKAGED = Path(__file__).resolve().parent / "data" / "clauses.yaml"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # LibYAML reads the packaged list in a tenth of the time


class ClauseFileError(Exception):
    """The file cannot be read, or is not a clause list; the message, to follow the file's
    name, says what to fix."""


@dataclass(frozen=True)
class Clause:
    number: str
    title: str


@dataclass(frozen=True)
class ClauseList:
    standard: str
    clauses: tuple[Clause, ...]


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
    return ClauseList(standard, tuple(clauses))


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
    return Clause(str(number).strip(), title.strip())


@functools.cache
def packaged_clause_list() -> ClauseList:
    """ISO/IEC 20000-1:2018, shipped with the package: the default of the `clauses` option."""
    return read_clause_file(PACKAGED)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} (line {mark.line + 1})" if mark is not None else problem
