"""A template per type from the headings its documents actually use: the level-2 sections
every one of them has, in an order none of them contradicts. SMS403 then holds the
library to its own structure from the first day, and `sms-docs new` starts from it."""

from __future__ import annotations

from collections import Counter

from ..document_templates import normalise

PLACEHOLDER = "Replace this line with the section's text."


def shared_sections(documents: list[list[str]]) -> list[str]:
    """The sections (as most documents spell them) that every document has, ordered as
    all of them order them; where two documents disagree, the longer agreeing run wins."""
    if not documents:
        return []
    orders = [_first_positions(sections) for sections in documents]
    common = set(orders[0]).intersection(*orders[1:])
    # Longest chain of sections that come in the same order in every document.
    first = [key for key in orders[0] if key in common]
    best: dict[str, list[str]] = {}
    for key in first:
        before = [best[other] for other in best if all(order[other] < order[key] for order in orders)]
        best[key] = max(before, key=len, default=[]) + [key]
    chain = max(best.values(), key=len, default=[])
    spelling: dict[str, Counter[str]] = {key: Counter() for key in chain}
    for sections in documents:
        for section in sections:
            if normalise(section) in spelling:
                spelling[normalise(section)][section] += 1
    return [spelling[key].most_common(1)[0][0] for key in chain]


def _first_positions(sections: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, section in enumerate(sections):
        positions.setdefault(normalise(section), index)
    return positions


def template_text(sections: list[str]) -> str:
    lines = ["# {{ title }}", ""]
    for section in sections:
        lines += [f"## {section}", "", PLACEHOLDER, ""]
    return "\n".join(lines)
