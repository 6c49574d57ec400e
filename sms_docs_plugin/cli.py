"""The `sms-docs` command: the same analysis as the build, without rendering HTML."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .analysis import analyse
from .codes import Severity
from .report import format_github, format_json, format_text
from .rules import failing
from .settings import Settings
from .settings_loader import SetupError, load_settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_SETUP = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
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
    return parser


def _check(args: argparse.Namespace, settings: Settings) -> int:
    analysis = analyse(settings, base_ref=args.base)
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


if __name__ == "__main__":
    sys.exit(main())
