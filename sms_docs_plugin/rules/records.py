"""Records rule SMS406: a process or procedure declares the records it produces, each with
where it is kept and how long (ISO/IEC TR 20000-5, Annex D.3 g): they make the records
retention schedule."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import DocType, Document, Finding, Status, make_finding
from .context import RuleContext

# A section heading that starts with "Records" (e.g. "Records and retention") or "Record keeping".
_RECORDS_HEADING = re.compile(r"^ {0,3}#{2,6}[ \t]+(?:records|record[- ]keeping)\b[^\n]*$", re.I | re.M)
_EXAMPLE = '`records: [{name: Incident record, location: Service desk tool, retention: "2y"}]`'


def check(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    for doc in library.documents:
        # The schedule lists what is in force: a draft declares its records before approval.
        if doc.doc_type not in (DocType.PROCESS, DocType.PROCEDURE) or doc.status is not Status.APPROVED:
            continue
        if not library.holds_id(doc):
            continue
        yield from _declared(doc, ctx)


def _declared(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    if not doc.records:
        text = ctx.read(doc)[1]
        heading = _RECORDS_HEADING.search(text)
        if heading is not None:
            yield make_finding(
                "SMS406",
                doc.path,
                doc.body_line + text.count("\n", 0, heading.start()),
                f"the body has a `{heading.group(0).strip()}` section but the front matter declares no `records`; "
                f"list each record with where it is kept and how long, e.g. {_EXAMPLE}, "
                "so it appears in the records retention schedule",
                doc.id,
            )
        return
    for record in doc.records:
        missing = [name for name in ("location", "retention") if not getattr(record, name)]
        if missing:
            yield make_finding(
                "SMS406",
                doc.path,
                record.line,
                f"record `{record.name}` has no {' and no '.join(f'`{m}`' for m in missing)}; add "
                + " and ".join(_HOW[m] for m in missing),
                doc.id,
            )


_HOW = {
    "location": "where it is kept (`location: Service desk tool`)",
    "retention": 'how long it is kept (`retention: "7y"`, `"18m"`, `"90d"` or `permanent`)',
}
