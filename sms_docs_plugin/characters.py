"""Characters that do not show what they are: control characters, right-to-left overrides,
invisible and look-alike characters. Findings name them by code point; the terminal never
receives them raw."""

from __future__ import annotations

import re
import unicodedata

# Unicode gives control characters no name, only aliases; these are the usual ones.
_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
    "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
    "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "FILE SEPARATOR", "GROUP SEPARATOR", "RECORD SEPARATOR", "UNIT SEPARATOR",
)
_OTHER_NAMES = {0x7F: "DELETE", 0x85: "NEXT LINE"}

# Embeddings, overrides and isolates reorder the text around them: what a reviewer reads is
# not what the characters say ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters other than tab and line feed (carriage returns are gone once lines are read).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What a terminal or a log must not receive raw: every control character, the bidi controls
# and the characters that end a line without being a line feed.
_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Capital letters of other scripts drawn exactly like Latin ones.
_HOMOGLYPHS = str.maketrans(
    "АВЕЗКМНОРСТУХІЈЅԌΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "ABE3KMHOPCTYXIJSGABEZHIKMNOPTYX",
)


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: the code point and its name."""
    code = ord(char)
    name = unicodedata.name(char, "")
    if not name:
        name = _C0_NAMES[code] if code < 0x20 else _OTHER_NAMES.get(code, "CONTROL CHARACTER")
    return f"U+{code:04X} {name}"


def describe_all(chars: list[str]) -> str:
    """The distinct characters named, in order of appearance: `U+0007 BELL and U+001B ESCAPE`."""
    names = [describe(char) for char in dict.fromkeys(chars)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def unsafe_in_text(value: str) -> list[str]:
    """Control characters (but tab and line feed) and bidi controls in a text value."""
    return _UNSAFE_TEXT.findall(value)


def escape_for_terminal(text: str) -> str:
    """`\\x1b` for an escape character and the like: a finding prints as one inert line."""
    return _TERMINAL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def plain_id(value: str) -> tuple[str, list[str]]:
    """The id with look-alike characters replaced by the ASCII ones they imitate and invisible
    ones removed, and the non-ASCII characters found. ASCII punctuation is left as it is:
    the id pattern reports it."""
    out: list[str] = []
    found: list[str] = []
    for char in value:
        if char.isascii():
            out.append(char)
            continue
        found.append(char)
        category = unicodedata.category(char)
        if category in ("Cf", "Zs", "Zl", "Zp", "Cc"):
            continue  # shows as nothing, or as a space
        if category == "Pd" or char == "\u2212":  # dashes and the minus sign
            out.append("-")
            continue
        folded = unicodedata.normalize("NFKC", char).translate(_HOMOGLYPHS)
        out.append(folded if folded.isascii() else char)
    return "".join(out), found


def looks_like(char: str) -> str | None:
    """The ASCII character `char` imitates, if any ("" when it shows as nothing)."""
    replaced, _ = plain_id(char)
    return replaced if replaced.isascii() else None
