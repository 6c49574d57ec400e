"""What the product reads as code, prose and headings in a Markdown text (SPEC §3: code,
fenced or indented, and backslash-escaped text are not prose).

One reader serves the content rules, the templates, the history pages and `adopt`; these
cases pin it down line by line. Each rule's own tests (test_content_rules.py) show the
same reading through `sms-docs check`.
"""

from __future__ import annotations

import pytest

from sms_docs_plugin.document_templates import sections
from sms_docs_plugin.markdown_text import outline, prose


def code_of(text: str) -> list[int]:
    """1-based numbers of the lines read as code."""
    return sorted(index + 1 for index in outline(text).code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("a\n```\nb\n```\nc", [2, 3, 4], id="backtick fence"),
        pytest.param("a\n~~~ yaml\nb\n~~~\nc", [2, 3, 4], id="tilde fence with info"),
        pytest.param("a\n   ```\nb\n   ```\nc", [2, 3, 4], id="fence indented three spaces"),
        pytest.param("a\n```\nb\n~~~\nc\n```\nd", [2, 3, 4, 5, 6], id="other character does not close"),
        pytest.param("a\n````\nb\n```\nc\n`````\nd", [2, 3, 4, 5, 6], id="shorter fence does not close, longer does"),
        pytest.param("a\n```\nb\n``` c\nd", [2, 3, 4, 5], id="fence with text after it does not close"),
        pytest.param("a\n\n```\nb\nc", [3, 4, 5], id="unclosed fence runs to the end"),
        pytest.param("a ```inline``` b\nc", [], id="backticks with backticks after them are a code span"),
        pytest.param("a\n\n    b\n    c\n\nd", [3, 4], id="indented block after a blank line"),
        pytest.param("a\n\n\tb\n\nc", [3], id="tab-indented block"),
        pytest.param("# T\n    b", [2], id="indented block right after a heading"),
        pytest.param("a\n    b", [], id="indented line continuing a paragraph"),
        pytest.param("a\n\n    b\n\n    c\nd", [3, 5], id="indented block across a blank line"),
        pytest.param("- a\n\n    b\n\nc", [], id="list item's second paragraph"),
        pytest.param("1. a\n\n    b\n\n        c", [5], id="code inside a list item"),
        pytest.param("- a\n  - b\n\n    c", [], id="two-space nested list"),
        pytest.param("- a\n\n    ```\n    b\n    ```\n\nc", [3, 4, 5], id="fence inside a list item"),
        pytest.param("- a\n  ```\n  b\nc\nd", [2, 3], id="fence ends with its list item"),
        pytest.param("!!! note\n    a\n\n    b\n\nc", [], id="admonition content"),
        pytest.param("!!! note\n\n    ```\n    b\n    ```", [3, 4, 5], id="fence inside an admonition"),
        pytest.param('??? tip "T"\n    a\n\n=== "Tab"\n\n    b', [], id="collapsible block and content tab"),
        pytest.param("a[^1].\n\n[^1]: note\n\n    more", [], id="footnote's second paragraph"),
        pytest.param("Term\n:   a\n\n    b", [], id="definition's second paragraph"),
        pytest.param("- a\n\nb\n\n    c", [5], id="a paragraph ends the list"),
    ],
)
def test_code_lines(text, code):
    assert code_of(text) == code


def test_prose_blanks_code_blocks_code_spans_and_escapes_and_keeps_every_newline():
    # Escapes are Python-Markdown's, which MkDocs renders with: `\<` is no escape there
    # (`\<b>` is a tag), but `\>` is, so `\<role\>` is text.
    text = (
        "Ask *\\<enter role of process owner\\>* to sign `<b>here</b>`.\n"
        "```\n<div>\n```\n"
        "Press ``a ` b`` then \\`not a span, and \\\\<b>.\n\n"
        "A `span\nover two lines` ends.\n\n"
        "Unmatched `` stays, `and\n\ndoes not cross` a blank line."
    )
    got = prose(text)
    assert len(got) == len(text)
    assert got.split("\n") == [
        "Ask *\\<enter role of process owner  * to sign " + " " * 13 + ".",
        "   ",
        "     ",
        "   ",
        "Press " + " " * 9 + " then   not a span, and   <b>.",
        "",
        "A " + " " * 5,
        " " * 15 + " ends.",
        "",
        "Unmatched `` stays, `and",
        "",
        "does not cross` a blank line.",
    ]


def test_headings_are_outside_code_and_containers_with_their_lines_and_plain_text():
    text = (
        "# Title\n\n## Purpose {#purpose}\n\nScope\n-----\n\n```\n## In code\n```\n\n"
        "    ## Indented code\n\n- item\n\n## Roles ##\n\n#hashtag\n\nLast\n====\n\n### C#\n"
    )
    assert [(h.index + 1, h.level, h.text) for h in outline(text).headings] == [
        (1, 1, "Title"), (3, 2, "Purpose"), (5, 2, "Scope"), (16, 2, "Roles"), (20, 1, "Last"), (23, 3, "C#"),
    ]


def test_templates_read_their_sections_the_same_way():
    assert sections("# {{ title }}\n\n## Purpose\n\n```\n## Example\n```\n\nSteps\n-----\n\n    ## Code\n") == ["Purpose", "Steps"]


def test_a_list_item_is_not_an_underlined_heading():
    assert outline("- item\n---\n\ntext\n---").sections() == ["text"]
