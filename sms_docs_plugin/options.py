"""The `sms-docs` options of mkdocs.yml: one schema, below both doors (spec §7).

`read_options` turns the raw option mapping into `Settings`, or raises `OptionsError`
listing every problem. The MkDocs door (plugin.py, on_config) and the CLI
(mkdocs_yml.py) both call it, so `mkdocs build` and `sms-docs check` refuse the same
options in the same words. `SCHEMA` holds each option's reader and description; the
defaults are the field defaults of `Settings`, declared there once. No MkDocs here.
"""

from __future__ import annotations

import difflib
import itertools
import os
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, fields, replace
from pathlib import Path

from .clauses import ClauseFileError, read_clause_file
from .codes import CODES
from .settings import Settings

# Keys of `library`; a type the model learns is one more name here.
DOCUMENT_TYPES = ("policy", "process", "procedure", "external")
APPROVED_TYPES = ("policy", "process", "procedure")  # documents of external origin are not approved here
SEVERITY_LEVELS = ("error", "warning", "notice", "off")
SUSPECT_ON = ("major", "any")
APPROVAL_EVIDENCE = ("none", "trailer", "signed")
REVIEW_INTERVAL_MONTHS = range(1, 121)  # up to ten years; beyond that no review is scheduled at all


@dataclass(frozen=True)
class Problem:
    option: str  # the option, or `option.key` for one entry of a mapping
    message: str  # what is wrong and how to fix it

    def __str__(self) -> str:
        return f"{self.option}: {self.message}"


class OptionsError(Exception):
    """The options cannot be used; every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _Invalid(Exception):
    def __init__(self, *problems: Problem) -> None:
        self.problems = problems


# A reader gets the option's name, its raw value and the folder of mkdocs.yml, and returns
# the Settings fields it sets, or raises _Invalid.
Reader = Callable[[str, object, Path], dict[str, object]]


@dataclass(frozen=True)
class Option:
    name: str
    read: Reader
    doc: str

    @property
    def default(self) -> object:
        return DEFAULTS[self.name]


def _defaults() -> dict[str, object]:
    values = {}
    for f in fields(Settings):
        if f.default is not MISSING:
            values[f.name] = f.default
        elif f.default_factory is not MISSING:
            values[f.name] = f.default_factory()
    return values


DEFAULTS: dict[str, object] = _defaults()


def read_options(raw: object, root: Path, docs_dir: Path, site_dir: Path) -> Settings:
    """What both doors call: the options of one `sms-docs` block, checked against the rest
    of mkdocs.yml; `root` is its folder, `docs_dir` and `site_dir` MkDocs' folders."""
    settings = parse_options(raw, root)
    problems = _folder_problems(settings, docs_dir, site_dir)
    if problems:
        raise OptionsError(problems)
    return replace(settings, docs_dir=str(docs_dir))  # the rules look for pages at a document's address there


def parse_options(raw: object, root: Path) -> Settings:
    """The options of one `sms-docs` block; `root` is the folder of mkdocs.yml."""
    if not isinstance(raw, Mapping):
        raise OptionsError([Problem("sms-docs", f"the options must be a mapping such as `severity: {{SMS208: error}}`, not {_shown(raw)}")])
    problems: list[Problem] = []
    for key in raw:
        if key not in SCHEMA:
            hint = _did_you_mean(key, SCHEMA) or f"; the options are {', '.join(SCHEMA)}"
            problems.append(Problem(str(key), f"unknown option{hint}"))
    values: dict[str, object] = {}
    for name, option in SCHEMA.items():
        if name in raw:
            try:
                values.update(option.read(name, raw[name], root))
            except _Invalid as invalid:
                problems.extend(invalid.problems)
    if problems:
        raise OptionsError(problems)
    return Settings(root=root, **values)  # type: ignore[arg-type]


def describe(problems: Iterable[Problem], config_file: str) -> str:
    """The problems as both doors print them, one option a line."""
    return f"{config_file}: invalid sms-docs options:\n" + "\n".join(f"  {problem}" for problem in problems)


def _folder_problems(settings: Settings, docs_dir: Path, site_dir: Path) -> list[Problem]:
    """The library folders on disk: inside the repository, and apart from MkDocs' own folders,
    which only the whole mkdocs.yml gives. Default folders too: a link is as good as a setting."""
    problems = []
    root = settings.root.resolve()
    for doc_type, name in settings.library.items():
        folder = (root / name).resolve()
        if not folder.is_relative_to(root):
            link = f"`{name}` is a symbolic link to {folder}, outside the repository"
            problems.append(Problem(f"library.{doc_type}", f"{link}; {_FOLDER_FIX}"))
            continue
        for label, other, why in (
            ("docs_dir", docs_dir.resolve(), "MkDocs would publish its files a second time, unchecked"),
            ("site_dir", site_dir.resolve(), "every build replaces that folder"),
        ):
            relation = _relation(folder, other)
            if relation:
                problems.append(Problem(
                    f"library.{doc_type}",
                    f"`{name}` {relation} {label} (`{_relative(other, root)}`): {why}; keep the library folders beside {label}, not in it",
                ))
    return problems


# -- readers ---------------------------------------------------------------------------


def _library(option: str, value: object, root: Path) -> dict[str, object]:
    given = _mapping(option, value, "`{policy: policies, process: processes, procedure: procedures}`")
    folders: dict[str, str] = dict(DEFAULTS["library"])  # type: ignore[call-overload]
    problems: list[Problem] = []
    for doc_type, folder in given.items():
        if doc_type not in DOCUMENT_TYPES:
            hint = _did_you_mean(doc_type, DOCUMENT_TYPES)
            problems.append(Problem(f"{option}.{doc_type}", f"unknown document type{hint}; the types are {', '.join(DOCUMENT_TYPES)}"))
            continue
        try:
            folders[doc_type] = _library_folder(f"{option}.{doc_type}", folder, root)
        except _Invalid as invalid:
            problems.extend(invalid.problems)
    problems = problems or _shared_folders(option, folders)
    if problems:
        raise _Invalid(*problems)
    return {option: folders}


def _library_folder(option: str, value: object, root: Path) -> str:
    """The folder relative to `root`, in POSIX form, as the rules and the history compare it."""
    text = _text(option, value)
    given = Path(text)
    if given.is_absolute():
        absolute = Path(os.path.normpath(given))
        base = next((b for b in (root, root.resolve()) if absolute.is_relative_to(b)), None)
        if base is None:
            raise _Invalid(Problem(option, f"`{text}` is outside the repository; {_FOLDER_FIX}"))
        relative = absolute.relative_to(base).as_posix()
    else:
        relative = posixpath.normpath(given.as_posix())
    if relative == ".." or relative.startswith("../"):
        raise _Invalid(Problem(option, f"`{text}` leads out of the repository; {_FOLDER_FIX}"))
    if relative == ".":
        raise _Invalid(Problem(option, f"`{text}` is the folder of mkdocs.yml itself; {_FOLDER_FIX}"))
    return relative


_FOLDER_FIX = "give a folder inside the repository, relative to mkdocs.yml, such as `policies`"


def _shared_folders(option: str, folders: Mapping[str, str]) -> list[Problem]:
    # Compared without case: on Windows and macOS `Policies` and `policies` are one folder.
    problems = []
    for (type_a, a), (type_b, b) in itertools.combinations(folders.items(), 2):
        if a.casefold() == b.casefold():
            problems.append(Problem(option, f"{type_a} and {type_b} share the folder `{a}`; give each type its own folder"))
        elif b.casefold().startswith(a.casefold() + "/") or a.casefold().startswith(b.casefold() + "/"):
            (outer_type, outer), (inner_type, inner) = sorted(((type_a, a), (type_b, b)), key=lambda item: len(item[1]))
            problems.append(Problem(
                option,
                f"the {inner_type} folder `{inner}` is inside the {outer_type} folder `{outer}`, which would read it "
                "as its own documents; give each type its own folder, side by side",
            ))
    return problems


def _root_policy(option: str, value: object, root: Path) -> dict[str, object]:
    return {option: None if value is None else _text(option, value, example="`POL-SMS`")}


def _review_interval(option: str, value: object, root: Path) -> dict[str, object]:
    months = _integer(option, value)
    if months not in REVIEW_INTERVAL_MONTHS:
        first, last = REVIEW_INTERVAL_MONTHS[0], REVIEW_INTERVAL_MONTHS[-1]
        raise _Invalid(Problem(option, f"{months} is out of range; give a number of months from {first} to {last}, such as 12"))
    return {option: months}


def _choice(choices: tuple[str, ...]) -> Reader:
    def read(option: str, value: object, root: Path) -> dict[str, object]:
        if value not in choices:
            raise _Invalid(Problem(option, f"{_shown(value)} is not one of {', '.join(choices)}"))
        return {option: value}

    return read


def _flag(option: str, value: object, root: Path) -> dict[str, object]:
    if not isinstance(value, bool):
        raise _Invalid(Problem(option, f"expected true or false, got {_shown(value)}"))
    return {option: value}


def _people(option: str, value: object, root: Path) -> dict[str, object]:
    return {option: tuple(_texts(option, value, "`[Jane Doe, John Smith]`"))}


def _clauses(option: str, value: object, root: Path) -> dict[str, object]:
    if value is None:
        return {}
    text = _text(option, value, example="`data/clauses.yml`")
    path = root / text
    if not path.is_file():
        raise _Invalid(Problem(
            option,
            f"`{text}` is not a file (looked for {path}); give the path of a YAML clause list relative to mkdocs.yml, "
            "or leave `clauses` out for the ISO/IEC 20000-1:2018 list",
        ))
    try:
        clause_list = read_clause_file(path)
    except ClauseFileError as exc:
        raise _Invalid(Problem(option, f"`{text}`: {exc}")) from exc
    return {option: text, "clause_list": clause_list}


def _templates(option: str, value: object, root: Path) -> dict[str, object]:
    if value is None:
        return {}
    text = _text(option, value, example="`templates`")
    path = root / text
    if not path.is_dir():
        raise _Invalid(Problem(
            option,
            f"`{text}` is not a folder (looked for {path}); give a folder holding policy.md, process.md and "
            "procedure.md, relative to mkdocs.yml, or leave `templates` out for the built-in templates",
        ))
    return {option: text}


def _teams(option: str, value: object, root: Path) -> dict[str, object]:
    given = _mapping(option, value, "`{Incident Manager: \"@org/service-desk\"}`")
    problems = [
        Problem(f"{option}.{role}", f"expected the name of a team, such as `@org/service-desk`, got {_shown(team)}")
        for role, team in given.items()
        if not isinstance(team, str) or not team.strip()
    ]
    if problems:
        raise _Invalid(*problems)
    return {option: {str(role): str(team) for role, team in given.items()}}


def _severity(option: str, value: object, root: Path) -> dict[str, object]:
    given = _mapping(option, value, "`{SMS402: error, SMS305: off}`")
    levels: dict[str, str] = {}
    problems = []
    for code, level in given.items():
        key = f"{option}.{code}"
        if code not in CODES:
            hint = _did_you_mean(code, CODES)
            problems.append(Problem(key, f"unknown rule code{hint}; every code is listed in the rule reference"))
        if level is False:
            level = "off"  # YAML 1.1 reads an unquoted `off` as false; `SMS305: off` means off
        if level not in SEVERITY_LEVELS:
            hint = _did_you_mean(level, SEVERITY_LEVELS) if isinstance(level, str) else ""
            problems.append(Problem(key, f"{_shown(level)} is not a severity{hint}; use one of {', '.join(SEVERITY_LEVELS)}"))
        levels[str(code)] = str(level)
    if problems:
        raise _Invalid(*problems)
    return {option: levels}


def _per_type(
    option: str, value: object, example: str, what: str, read: Callable[[str, object], object]
) -> dict[str, object]:
    """A mapping of document type -> a value `read` checks (raising _Invalid), every problem
    of every type reported at once."""
    given = _mapping(option, value, example)
    found: dict[str, object] = {}
    problems: list[Problem] = []
    for doc_type, item in given.items():
        key = f"{option}.{doc_type}"
        if doc_type not in APPROVED_TYPES:
            hint = _did_you_mean(doc_type, APPROVED_TYPES)
            problems.append(Problem(key, f"not a type of {what}{hint}; use {', '.join(APPROVED_TYPES)}"))
            continue
        try:
            found[str(doc_type)] = read(key, item)
        except _Invalid as invalid:
            problems.extend(invalid.problems)
    if problems:
        raise _Invalid(*problems)
    return found


def _approvers(option: str, value: object, root: Path) -> dict[str, object]:
    def roles(key: str, allowed: object) -> tuple[str, ...]:
        return tuple(_texts(key, allowed, "`[Head of Service Desk, Service Owner]`", empty=False))

    return {option: _per_type(option, value, "`{policy: [Top Management], procedure: [Process Owner]}`",
                              "approved document", roles)}


def _duplicate_threshold(option: str, value: object, root: Path) -> dict[str, object]:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise _Invalid(Problem(option, f"expected a share above 0 and at most 1, such as 0.8, got {_shown(value)}"))
    return {option: float(value)}


def _max_words(option: str, value: object, root: Path) -> dict[str, object]:
    def limit(key: str, words: object) -> int:
        if isinstance(words, bool) or not isinstance(words, int) or words < 1:
            raise _Invalid(Problem(key, f"expected a positive number of words, such as 2500, got {_shown(words)}"))
        return words

    given = _per_type(option, value, "`{procedure: 2000}`", "document with a body", limit)
    return {option: dict(Settings(root).max_words) | given}


SCHEMA: dict[str, Option] = {
    option.name: option
    for option in (
        Option("library", _library,
               "Folder of each document type (policy, process, procedure, external), relative to mkdocs.yml and "
               "outside docs_dir; sub-folders are allowed. Types left out keep their default folder."),
        Option("root_policy", _root_policy,
               "Id of the service management policy; default: the one policy with no parent (SMS207)."),
        Option("review_interval_months", _review_interval,
               "Next review when a document gives no `review` date: `approved` plus this many months (1 to 120)."),
        Option("suspect_on", _choice(SUSPECT_ON),
               "Which new versions of a parent make its children suspect (SMS306): `major` or `any`."),
        Option("publish_drafts", _flag, "Publish draft documents, marked as drafts."),
        Option("include_restricted", _flag,
               "Publish `restricted` documents; otherwise they are absent from every generated file."),
        Option("past_versions", _flag, "Publish every superseded version and its diff."),
        Option("allow_html", _flag, "Allow raw HTML in controlled documents (SMS405)."),
        Option("people", _people, "Names of individuals to flag in bodies, besides the git authors (SMS401)."),
        Option("clauses", _clauses,
               "A YAML file `{standard, clauses: [{number, title}]}` replacing the ISO/IEC 20000-1 clause list."),
        Option("templates", _templates, "A folder of TYPE.md files overriding the per-type templates (SMS403)."),
        Option("teams", _teams, "Role -> code-owner team, for `sms-docs codeowners`."),
        Option("severity", _severity, "Severity per rule code: error, warning, notice or off."),
        Option("approvers", _approvers, "Document type -> the roles that may approve it (SMS310)."),
        Option("approval_evidence", _choice(APPROVAL_EVIDENCE),
               "What proves an approval in git (SMS312): `none`, a `trailer` in the commit, or a `signed` commit."),
        Option("duplicate_threshold", _duplicate_threshold,
               "Share of overlapping word shingles above which two bodies are near-duplicates (SMS402)."),
        Option("max_words", _max_words,
               "Words per type above which the assessment calls a document excessively detailed (D.2 j)."),
    )
}


# -- value checks ----------------------------------------------------------------------


def _text(option: str, value: object, example: str = "") -> str:
    if not isinstance(value, str) or not value.strip():
        such_as = f" such as {example}" if example else ""
        raise _Invalid(Problem(option, f"expected text{such_as}, got {_shown(value)}"))
    return value.strip()


def _texts(option: str, value: object, example: str, *, empty: bool = True) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise _Invalid(Problem(option, f"expected a list of text such as {example}, got {_shown(value)}"))
    if not value and not empty:
        raise _Invalid(Problem(option, f"the list is empty, so no one could approve; give roles such as {example}, or leave it out"))
    return [item.strip() for item in value]


def _integer(option: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(Problem(option, f"expected a whole number, got {_shown(value)}"))
    return value


def _mapping(option: str, value: object, example: str) -> Mapping[object, object]:
    if not isinstance(value, Mapping):
        raise _Invalid(Problem(option, f"expected a mapping such as {example}, got {_shown(value)}"))
    return value


def _shown(value: object) -> str:
    """A raw YAML value as an author would recognise it in a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return f"a value of type {type(value).__name__}"


def _did_you_mean(given: object, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(given), list(known), n=1, cutoff=0.6)
    if not close and isinstance(given, str):
        close = [k for k in known if k.casefold() == given.casefold()]
    return f" (did you mean `{close[0]}`?)" if close else ""


def _relation(folder: Path, other: Path) -> str:
    a, b = folder.as_posix().casefold(), other.as_posix().casefold()
    if a == b:
        return "is"
    if a.startswith(b.rstrip("/") + "/"):
        return "is inside"
    if b.startswith(a.rstrip("/") + "/"):
        return "contains"
    return ""


def _relative(path: Path, root: Path) -> str:
    root = root.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
