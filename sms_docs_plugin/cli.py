"""The `sms-docs` command: the same analysis as the build, without rendering HTML."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .adoption import apply_adoption, plan_adoption
from .adoption.config_file import ConfigError
from .analysis import Analysis, analyse, build_date
from .authoring import AuthoringError, plan_new
from .codeowners import codeowners
from .codes import Severity
from .history import HistoryError, read_history
from .library import load_library
from .model import DocType
from .report import format_github, format_json, format_text
from .rules import failing
from .schema import front_matter_schema
from .settings import Settings
from .settings_loader import SetupError, load_settings
from .site.links import SiteMap
from .site.records import Records
from .site.versions import document_lineage, version_entries

EXIT_CLEAN, EXIT_FINDINGS, EXIT_SETUP = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "schema":  # the schema is the same for every library
        print(json.dumps(front_matter_schema(), indent=2))
        return EXIT_CLEAN
    try:
        if args.command == "adopt":  # the folder may have no mkdocs.yml yet
            return _adopt(args)
        settings = load_settings(Path(args.config_file))
        return int(args.handler(args, settings))
    except SetupError as exc:
        print(f"sms-docs: {exc}", file=sys.stderr)
        return EXIT_SETUP


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sms-docs", description="Check and publish an ISO/IEC 20000-1 document library."
    )
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the library's mkdocs.yml (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="run every rule without rendering HTML")
    check.add_argument("--base", metavar="REF", help="compare with this git ref, as in a pull request")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.set_defaults(handler=_check)

    new = commands.add_parser("new", help="start a new draft from its type's template, with the next free id")
    new.add_argument("type", choices=[t.value for t in DocType], metavar="TYPE", help="policy, process or procedure")
    new.add_argument("--title", required=True)
    new.add_argument("--parent", action="append", default=[], metavar="ID", help="a parent id (repeatable)")
    new.add_argument("--owner", metavar="ROLE", help="the accountable role (default: the parent's owner)")
    new.set_defaults(handler=_new)

    register = commands.add_parser("register", help="the register of controlled documents on stdout")
    register.add_argument("--format", choices=("csv", "json"), default="csv")
    register.set_defaults(handler=_register)

    history = commands.add_parser("history", help="the version history of one document")
    history.add_argument("id", metavar="ID")
    history.set_defaults(handler=_history)

    commands.add_parser("schema", help="the JSON Schema of the front matter, for editors")

    adopt = commands.add_parser("adopt", help="turn a folder of Markdown policies, processes and procedures into a library")
    adopt.add_argument("path", nargs="?", default=".", metavar="PATH", help="the folder, where mkdocs.yml is or will be (default: .)")
    adopt.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    adopt.add_argument("--approve-as", metavar="ROLE", help="adopt the documents as approved by this role, today")

    owners = commands.add_parser("codeowners", help="write a CODEOWNERS file from the roles' teams")
    owners.add_argument("--output", default=".github/CODEOWNERS", help="file to write, or - for stdout")
    owners.set_defaults(handler=_codeowners)
    return parser


def _check(args: argparse.Namespace, settings: Settings) -> int:
    analysis = _analyse(settings, base_ref=args.base)
    findings = analysis.findings
    if args.format == "json":
        print(format_json(findings, len(analysis.library.documents)))
    elif args.format == "github":
        for finding in findings:
            print(format_github(finding))
    else:
        for finding in findings:
            print(format_text(finding))
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        print(
            f"{len(analysis.library.documents)} documents checked: {errors} error(s), "
            f"{len(findings) - errors} warning(s)",
            file=sys.stderr,
        )
    return EXIT_FINDINGS if failing(findings, args.strict) else EXIT_CLEAN


def _analyse(settings: Settings, base_ref: str | None = None) -> Analysis:
    try:
        return analyse(settings, base_ref=base_ref)
    except HistoryError as exc:
        raise SetupError(str(exc)) from exc


def _new(args: argparse.Namespace, settings: Settings) -> int:
    library = load_library(settings)
    history = read_history(settings.root, settings.library.values()) if settings.root.exists() else None
    try:
        planned = plan_new(library, history, DocType(args.type), args.title, args.parent, args.owner)
    except AuthoringError as exc:
        raise SetupError(str(exc)) from exc
    planned.path.parent.mkdir(parents=True, exist_ok=True)
    if planned.path.exists():
        raise SetupError(f"{planned.path} already exists")
    planned.path.write_text(planned.text, encoding="utf-8")
    print(f"{planned.id} {planned.path.relative_to(settings.root).as_posix()}")
    return EXIT_CLEAN


def _register(args: argparse.Namespace, settings: Settings) -> int:
    records = Records(_analyse(settings), SiteMap(), {})
    sys.stdout.write(records.register_csv() if args.format == "csv" else records.register_json() + "\n")
    return EXIT_CLEAN


def _history(args: argparse.Namespace, settings: Settings) -> int:
    analysis = _analyse(settings)
    doc = analysis.library.get(args.id)
    if doc is None:
        raise SetupError(f"no document with id {args.id}")
    if not analysis.history.available:
        print(f"{doc.id} {doc.title}: version {doc.version}")
        for notice in analysis.history.notices:
            print(notice)
        return EXIT_CLEAN
    entries = version_entries(doc, document_lineage(analysis.history, doc), publish_past=False)
    print(f"{doc.id} {doc.title} ({doc.path})")
    for notice in analysis.history.notices:
        print(f"  note: {notice}")
    for entry in reversed(entries):
        current = " (current)" if entry.is_current else ""
        print(f"\nversion {entry.number}{current}  approved {entry.field('approved') or '-'}"
              f" by {entry.field('approver') or '-'}  status {entry.head.status or '-'}")
        print(f"  change: {entry.field('change') or ('first version' if entry.index == 0 else '-')}")
        print(f"  authors: {entry.authors}")
        for revision in entry.record.revisions:
            when = revision.commit.committed.date().isoformat() if revision.commit else "-"
            subject = revision.commit.subject if revision.commit else "changes not yet committed"
            flag = f"  [irregular: {revision.irregular}]" if revision.irregular else ""
            print(f"  {revision.label:<12} {when}  {subject}{flag}")
        for revision in entry.record.reviews:
            when = revision.commit.committed.date().isoformat() if revision.commit else "-"
            print(f"  {revision.label:<12} {when}  reviewed, no change")
    return EXIT_CLEAN


def _adopt(args: argparse.Namespace) -> int:
    root = Path(args.path)
    if not root.is_dir():
        raise SetupError(f"{root} is not a folder")
    role = " ".join((args.approve_as or "").split())
    if args.approve_as is not None and not role:
        raise SetupError("--approve-as needs the approving role, e.g. --approve-as 'Head of Service'")
    config = root / "mkdocs.yml"
    settings = load_settings(config) if config.is_file() else Settings(root=root.resolve())
    try:
        plan = plan_adoption(settings, approve_as=role or None, today=build_date())
    except (ConfigError, HistoryError) as exc:
        raise SetupError(str(exc)) from exc
    for line in plan.report if plan.changes else ():
        print(line)
    for warning in plan.warnings:
        print(f"warning: {warning}")
    if not plan.changes:
        print("nothing to change: the folder is already a library")
        return EXIT_CLEAN
    changed = f"{len(plan.moves)} file(s) to move, {len(plan.writes)} to write"
    if args.dry_run:
        print(f"dry run: nothing written ({changed})")
        return EXIT_CLEAN
    apply_adoption(plan)
    print(f"adopted {plan.documents} document(s): {changed.replace('to move', 'moved').replace('to write', 'written')}")
    findings = _analyse(load_settings(config)).findings
    errors = [f for f in findings if f.severity is Severity.ERROR]
    for finding in errors:
        print(format_text(finding))
    print(f"sms-docs check: {len(errors)} error(s), {len(findings) - len(errors)} other finding(s); "
          "review the changes (git status, git diff), then commit them")
    return EXIT_FINDINGS if errors else EXIT_CLEAN


def _codeowners(args: argparse.Namespace, settings: Settings) -> int:
    text, missing = codeowners(load_library(settings))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        target = settings.root / args.output
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(settings.root).as_posix()}")
    if missing:
        print(f"roles without a team in `teams`: {', '.join(missing)}", file=sys.stderr)
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
