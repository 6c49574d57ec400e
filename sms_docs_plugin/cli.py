"""The `sms-docs` command: the same analysis as the build, without rendering HTML."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from .adoption import apply_adoption, plan_adoption
from .adoption.config_file import ConfigError
from .analysis import Analysis, analyse, build_date
from .assessment import assess
from .authoring import AuthoringError, plan_new
from .characters import escape_for_terminal
from .codeowners import codeowners
from .codes import Severity
from .history import DocHistory, HistoryError, Revision, VersionRecord, read_history
from .library import load_library
from .mkdocs_yml import SetupError, load_settings
from .model import DocType
from .register import register_csv, register_json, register_rows
from .report import BEFORE_CHANGE, format_github, format_github_notice, format_json, format_text
from .reviews import review_list
from .rules import failing
from .schema import front_matter_schema
from .settings import Settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_SETUP = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # a reader that went away shows here, not as a message at exit
        return code
    except BrokenPipeError:
        # The reader stopped reading (`sms-docs register | head`): end quietly, with the
        # status Python itself gives a closed pipe, and nothing left to flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: Sequence[str] | None) -> int:
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
    new.add_argument("type", choices=[t.value for t in DocType], metavar="TYPE", help="policy, process, procedure or external")
    new.add_argument("--title", required=True)
    new.add_argument("--parent", action="append", default=[], metavar="ID", help="a parent id (repeatable)")
    new.add_argument("--owner", metavar="ROLE", help="the accountable role (default: the parent's owner)")
    new.set_defaults(handler=_new)

    register = commands.add_parser("register", help="the register of controlled documents on stdout")
    register.add_argument("--format", choices=("csv", "json"), default="csv")
    register.set_defaults(handler=_register)

    assessment = commands.add_parser(
        "assessment", help="the library against ISO/IEC TR 20000-5 Annex D.2 a-q, as the site's Assessment page"
    )
    assessment.add_argument("--format", choices=("text", "json"), default="text")
    assessment.set_defaults(handler=_assessment)

    history = commands.add_parser("history", help="the version history of one document")
    history.add_argument("id", metavar="ID")
    history.add_argument("--at", metavar="DATE", type=_iso_date, help="first say which version was in force on DATE")
    history.set_defaults(handler=_history)

    reviews = commands.add_parser("reviews", help="overdue, due and suspect documents, for a scheduled reminder job")
    reviews.add_argument("--due-within", metavar="DAYS", type=_days, default=30, help="days ahead (default: %(default)s)")
    reviews.add_argument("--format", choices=("text", "json", "github"), default="text")
    reviews.set_defaults(handler=_reviews)

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
    if args.format in ("json", "github"):
        # Paths from the repository's root (SPEC §6), where GitHub finds the files it annotates:
        # a library in a folder of a larger repository is named with that folder.
        prefix = _repository_prefix(analysis, settings)
        shown = [replace(f, path=prefix + f.path) if f.path else f for f in findings]
        if args.format == "json":
            print(format_json(shown, len(analysis.library.documents)))
        else:
            for finding in shown:
                print(format_github(finding))
    else:
        for finding in findings:
            print(format_text(finding) + ("" if finding.new is not False else f"  {BEFORE_CHANGE}"))
        counts = {severity: sum(1 for f in findings if f.severity is severity) for severity in Severity}
        summary = ", ".join(f"{counts[s]} {s}(s)" for s in Severity)
        if analysis.base is not None:
            summary += f"; {sum(1 for f in findings if f.new)} introduced since {args.base}"
        print(f"{len(analysis.library.documents)} documents checked: {summary}", file=sys.stderr)
    return EXIT_FINDINGS if failing(findings, args.strict) else EXIT_CLEAN


def _repository_prefix(analysis: Analysis, settings: Settings) -> str:
    """The library's folder inside its git repository ("" at the top, or without git)."""
    repo = analysis.history.repo
    return repo.prefix(settings.root) if repo is not None else ""


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
    analysis = _analyse(settings)
    rows = register_rows(analysis.standing.library, analysis.standing.upcoming)
    if args.format == "csv":
        sys.stdout.write(register_csv(rows))
    else:
        sys.stdout.write(register_json(rows, analysis.today, analysis.history.state.commit) + "\n")
    return EXIT_CLEAN


def _assessment(args: argparse.Namespace, settings: Settings) -> int:
    result = assess(_analyse(settings))
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_CLEAN
    print(f"Documentation assessment against {result.source}")
    for item in result.items:
        print(f"\n{item.letter}  {item.title}\n   {item.verdict}: {item.summary}")
        for line in item.evidence:
            print(f"   - {' '.join([line.text, *(d.id or d.path for d in line.docs if line.finding is None)])}")
    return EXIT_CLEAN


def _history(args: argparse.Namespace, settings: Settings) -> int:
    analysis = _analyse(settings)
    doc = analysis.library.get(args.id)
    timeline = analysis.timeline(doc) if doc is not None else None
    if doc is None:
        gone = [lineage for lineage in analysis.history.ended if lineage.doc_id.casefold() == args.id.casefold()]
        if not gone:
            raise SetupError(f"no document with id {args.id}")
        timeline = gone[-1]
        say(f"{timeline.doc_id} (withdrawn: {timeline.end_note} in {timeline.ended.short if timeline.ended else '?'})")
    else:
        say(f"{doc.id} {doc.title} ({doc.path})")
    for notice in analysis.history.notices:
        say(f"  note: {notice}")
    if timeline is None:
        say(f"version {doc.version if doc else '-'}; no history is available")
        return EXIT_CLEAN
    if doc is not None and doc.is_external:
        # Of external origin: no versions of its own; its registration's commits are its history.
        say(f"edition {doc.edition} from {doc.publisher}, controlled copy at {doc.location}")
        for revision in timeline.committed:
            say(_commit_line(revision, revision.commit.subject if revision.commit else ""))
        return EXIT_CLEAN
    if args.at is not None:
        say(_in_force_on(timeline, args.at))
    versions = timeline.versions
    for record in reversed(versions.records):
        say("")
        say(_version_line(record, analysis))
        for revision in record.revisions:
            why = versions.reason(revision)
            say(_commit_line(revision, revision.commit.subject if revision.commit else "changes not yet committed")
                  + (f"  [irregular: {why}]" if why else ""))
        for revision in record.reviews:
            say(_commit_line(revision, "reviewed, no change"))
        for move in record.moves:
            say(_commit_line(move.revision, f"moved from {move.from_path}"))
    if versions.pending:
        # Drafts are not versions: listed for the author, never published.
        say("\nnot yet a version (draft or unversioned edits):")
        for revision in versions.pending:
            why = versions.reason(revision)
            subject = revision.commit.subject if revision.commit else "changes not yet committed"
            say(_commit_line(revision, f"{revision.status or '-'} {revision.version or '-'}: {subject}")
                  + (f"  [irregular: {why}]" if why else ""))
    return EXIT_CLEAN


def say(text: str) -> None:
    """Print text from documents and commits line by line, control characters escaped: a
    commit subject or a title must not drive the terminal."""
    print("\n".join(escape_for_terminal(line) for line in text.split("\n")))


def _in_force_on(timeline: DocHistory, day: date) -> str:
    record = timeline.in_force(day)
    if record is not None:
        until = f" until {record.in_force_to.isoformat()}" if record.in_force_to else ""
        return (f"in force on {day.isoformat()}: version {record.version} (approved {record.field('approved') or '-'} "
                f"by {record.field('approver') or '-'}, in force from {record.in_force_from}{until})")
    started = timeline.on(day)
    if timeline.ended is not None and timeline.ended.day <= day:
        return f"in force on {day.isoformat()}: none; the document was withdrawn on {timeline.ended.day.isoformat()}"
    if started is not None and started.retired:
        return f"in force on {day.isoformat()}: none; the document was retired on {started.starts.isoformat()}"
    first = next((r for r in timeline.records if not r.retired), None)
    if first is not None and first.in_force_from:
        return f"in force on {day.isoformat()}: none; its first version took effect on {first.in_force_from.isoformat()}"
    return f"in force on {day.isoformat()}: none; no version of it has been approved"


def _version_line(record: VersionRecord, analysis: Analysis) -> str:
    if record.retired:
        return f"version {record.version} retired {record.head.day or 'uncommitted'}"
    evidence = analysis.approvals.evidence(record.head.commit) if analysis.approvals else None
    person = f" ({evidence.person})" if evidence and evidence.person else ""
    period = "never in force"
    if record.in_force_from is not None:
        period = f"in force {record.in_force_from} - {record.in_force_to or 'now'}"
        if record.in_force_from > analysis.today:
            period = f"upcoming, in force from {record.in_force_from}"
    return (f"version {record.version}  approved {record.field('approved') or '-'} by {record.field('approver') or '-'}"
            f"{person}  {period}\n  change: {record.field('change') or 'first version'}\n  authors: "
            f"{', '.join(record.authors) or '-'}")


def _commit_line(revision: Revision, text: str) -> str:
    when = revision.day.isoformat() if revision.day else "-"
    return f"  {revision.label:<12} {when}  {text}"


def _reviews(args: argparse.Namespace, settings: Settings) -> int:
    analysis = _analyse(settings)
    rows = review_list(analysis, args.due_within)
    prefix = _repository_prefix(analysis, settings)  # as for check: paths from the repository's root
    if args.format == "json":
        print(json.dumps({"documents": [row | {"path": prefix + row["path"]} for row in rows]}, indent=2, ensure_ascii=False))
    elif args.format == "github":
        for row in rows:
            print(format_github_notice(prefix + row["path"], f"{row['id']} {row['title']}: {row['state']} ({row['why']})"))
    else:
        for row in rows:
            print(f"{row['path']}: {row['id']} {row['state']}: {row['why']} (owner: {row['owner']})")
        print(f"{len(rows)} document(s) to review", file=sys.stderr)
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


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written as YYYY-MM-DD") from None


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())
