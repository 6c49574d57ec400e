"""What is due for review: overdue and due reviews, and suspect documents. One list for
`sms-docs reviews` (a scheduled job that opens reminders) and the site's Reviews page."""

from __future__ import annotations

from datetime import timedelta

from .analysis import Analysis
from .model import Status

OVERDUE, DUE, SUSPECT = "overdue", "due", "suspect"


def review_list(analysis: Analysis, due_within: int) -> list[dict[str, str]]:
    """Approved documents whose review is overdue or falls due within `due_within` days, and
    suspect ones; a document that is both overdue and suspect is listed once per state."""
    library = analysis.library
    today = analysis.today
    horizon = today + timedelta(days=due_within)
    rows = []
    for doc in library.documents:
        if not library.holds_id(doc):
            continue
        if doc.is_external:
            review = doc.review_date  # its owner checks the edition relied on is still the one in force
        elif doc.status is Status.APPROVED:
            review = doc.next_review(library.settings.review_interval_months)
        else:
            continue
        base = {"id": doc.id or "", "title": doc.title, "path": doc.path, "owner": doc.owner,
                "review": review.isoformat() if review else ""}
        if review is not None and review < today:
            rows.append(base | {"state": OVERDUE, "why": f"review was due on {review.isoformat()}"})
        elif review is not None and review <= horizon:
            rows.append(base | {"state": DUE, "why": f"review falls due on {review.isoformat()}"})
        suspicion = analysis.suspicions.get(doc.key)
        if suspicion is not None:
            since = f" on {suspicion.since.isoformat()}" if suspicion.since else ""
            rows.append(base | {
                "state": SUSPECT,
                "why": f"{suspicion.parent.id} got version {suspicion.version}{since}, after this document's last approval",
            })
    order = {OVERDUE: 0, DUE: 1, SUSPECT: 2}
    rows.sort(key=lambda row: (order[row["state"]], row["review"], row["id"]))
    return rows
