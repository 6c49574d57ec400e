"""The redline between two versions (SPEC §5): the rendered text with insertions and
deletions marked word by word, list renumbering and re-wrapping not counted as changes.

The unit tests render Markdown with the extensions a site uses, redline the two HTML
bodies and parse the result; the build test commits versions to a real git repository,
runs `mkdocs build` and reads the pages.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import markdown
import pytest
from history_support import assert_built, body_with_steps, commit_as, new_library, revise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import VOID, LibraryRepo, Node, doc, parse_html, read_page

from sms_docs_plugin.site.redline import WORD_BOUND, Redline, redline
from sms_docs_plugin.site.safety import neutralise

EXTENSIONS = ["tables", "attr_list", "toc", "fenced_code", "def_list", "footnotes"]
_MARKDOWN = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})


def render(text: str) -> str:
    _MARKDOWN.reset()
    return _MARKDOWN.convert(text)


def compare(old: str, new: str) -> tuple[Redline, Node]:
    """Redline two Markdown texts; the result is checked well-formed before it is returned."""
    result = redline(render(old), render(new))
    assert_well_formed(result.html)
    return result, parse_html(result.html)


def numbered(steps: list[str]) -> str:
    return "## Steps\n\n" + "\n".join(f"{number}. {step}" for number, step in enumerate(steps, start=1)) + "\n"


def marks(node: Node, tag: str) -> list[str]:
    return [mark.text for mark in node.find_all(tag)]


def without(node: Node | str, tag: str) -> str:
    """The text of `node` with the content of every `tag` element left out."""
    if isinstance(node, str):
        return node
    if node.tag == tag:
        return ""
    return "".join(without(child, tag) for child in node.children)


class _StrictParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        if tag in ("ins", "del") and self.stack and self.stack[-1] in ("ol", "ul", "table", "thead", "tbody", "tr"):
            self.problems.append(f"<{tag}> directly in <{self.stack[-1]}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _scan(fragment: str) -> _StrictParser:
    parser = _StrictParser()
    parser.feed(fragment)
    parser.close()
    return parser


def assert_well_formed(fragment: str) -> None:
    parser = _scan(fragment)
    assert parser.problems == [] and parser.stack == [], (parser.problems, parser.stack, fragment)


def words(text: str) -> str:
    return " ".join(text.split())


STEPS = [f"Step {n}: check the [record {n}](record-{n}.md) and note *the result*." for n in range(1, 11)]


# --------------------------------------------------------------------------- lists


def test_one_step_inserted_into_a_ten_step_list_is_exactly_one_insertion():
    new_steps = [*STEPS[:4], "Call the customer back within one hour.", *STEPS[4:]]
    result, page = compare(numbered(STEPS), numbered(new_steps))

    assert marks(page, "ins") == ["Call the customer back within one hour."]
    assert marks(page, "del") == []
    assert (result.insertions, result.deletions, result.moves) == (1, 0, 0)
    items = page.find("ol").find_all("li")
    assert len(items) == 11 and items[4].classes == ["sms-ins"]
    # the renumbered steps after it are the new version's, unmarked, with their links and emphasis
    assert items[5].text == "Step 5: check the record 5 and note the result."
    assert items[5].find("a").attrs["href"] == "record-5.md" and items[5].find("em").text == "the result"
    assert all("value" not in item.attrs for item in items)  # numbering stays the browser's


def test_a_deleted_step_is_struck_through_and_the_steps_after_it_keep_their_new_numbers():
    result, page = compare(numbered(STEPS), numbered(STEPS[:2] + STEPS[3:]))

    assert [words(text) for text in marks(page, "del")] == ["Step 3: check the record 3 and note the result."]
    assert marks(page, "ins") == []
    items = page.find("ol").find_all("li")
    assert items[2].classes == ["sms-del"] and "value" not in items[2].attrs
    shown = [(item.attrs.get("value"), item.text.split(":")[0]) for item in items if "sms-del" not in item.classes]
    assert shown == [(str(n), f"Step {s}") for n, s in zip(range(1, 10), [1, 2, *range(4, 11)], strict=True)]


def test_renumbering_alone_is_no_change():
    old = "1. First.\n2. Second.\n3. Third.\n"
    new = "1. First.\n1. Second.\n1. Third.\n"  # Markdown numbers by position either way

    result, page = compare(old, new)

    assert not result.changed and page.find_all("ins") == page.find_all("del") == []


def test_a_list_turning_loose_is_no_change_beyond_the_added_step():
    tight = "- Open a ticket.\n- Assign it.\n"
    loose = "- Open a ticket.\n\n- Check the caller.\n\n- Assign it.\n"  # blank lines wrap every item in <p>

    result, page = compare(tight, loose)

    assert marks(page, "ins") == ["Check the caller."] and marks(page, "del") == []
    assert page.find_all("p") != []  # the new version's form is shown


def test_a_step_added_to_a_nested_list_is_one_insertion_inside_it():
    old = "1. Triage.\n    - Read the ticket.\n    - Set the priority.\n2. Assign.\n"
    new = "1. Triage.\n    - Read the ticket.\n    - Check for duplicates.\n    - Set the priority.\n2. Assign.\n"

    result, page = compare(old, new)

    assert marks(page, "ins") == ["Check for duplicates."] and marks(page, "del") == []
    inserted = page.find("ins")
    assert inserted.parent.tag == "li" and inserted.parent.parent.tag == "ul"


# --------------------------------------------------------------------------- paragraphs and words


def test_a_rewrapped_paragraph_is_no_change():
    old = "Incidents are logged by the Service Desk\nas soon as they are reported, whatever\nthe channel.\n"
    new = "Incidents are logged by the Service Desk as soon as they\nare reported, whatever the channel.\n"

    result, page = compare(old, new)

    assert not result.changed and page.find_all("ins") == page.find_all("del") == []
    assert words(page.text) == words(parse_html(render(new)).text)


def test_words_inserted_and_deleted_inside_a_paragraph_are_marked_and_the_rest_kept():
    old = "Assign the ticket to the [resolver group](groups.md) within *one hour*.\n"
    new = "Assign the ticket to the [resolver group](groups.md) within *four hours* of logging.\n"

    result, page = compare(old, new)

    assert marks(page, "del") == ["one hour"] and marks(page, "ins") == ["four hours of logging"]
    assert page.find("a").attrs["href"] == "groups.md" and page.find("a").text == "resolver group"
    # a change inside the emphasis is marked inside it; one that spans past it, around it
    assert page.find("del").parent.tag == "em" and page.find("ins").find("em").text == "four hours"
    assert result.html == (
        '<p>Assign the ticket to the <a href="groups.md">resolver group</a> within'
        ' <em><del>one hour</del></em> <ins><em>four hours</em> of logging</ins>.</p>'
    )


def test_a_changed_link_target_is_a_change_even_with_the_same_words():
    result, page = compare("See [the guide](old.md).\n", "See [the guide](new.md).\n")

    assert [a.attrs["href"] for a in page.find_all("a")] == ["old.md", "new.md"]
    assert page.find("del").find("a").attrs["href"] == "old.md"
    assert page.find("ins").find("a").attrs["href"] == "new.md"


def test_an_added_and_a_deleted_paragraph_are_marked_as_wholes():
    old = "First paragraph.\n\nA paragraph that goes.\n\nLast paragraph.\n"
    new = "First paragraph.\n\nLast paragraph.\n\nA paragraph that arrives at the end.\n"

    result, page = compare(old, new)

    assert marks(page, "del") == ["A paragraph that goes."]
    assert marks(page, "ins") == ["A paragraph that arrives at the end."]
    assert [p.text for p in page.find_all("p")] == [
        "First paragraph.", "A paragraph that goes.", "Last paragraph.", "A paragraph that arrives at the end."]


def test_a_changed_heading_and_a_changed_code_block_are_marked_word_by_word():
    old = "## Escalate the incident\n\n```\nnotify --to duty-manager   --level 2\n```\n"
    new = "## Escalate the major incident\n\n```\nnotify --to duty-manager   --level 3\n```\n"

    result, page = compare(old, new)

    assert page.find("h2").text == "Escalate the major incident" and marks(page, "ins")[0] == "major"
    code = page.find("pre")
    assert marks(code, "del") == ["2"] and marks(code, "ins") == ["3"]
    assert "duty-manager   --level " in "".join(without(code, "del"))  # spacing inside code is kept


def test_a_very_long_paragraph_rewritten_is_marked_as_one_deletion_and_one_insertion():
    size = int(WORD_BOUND**0.5) + 50  # words on each side: beyond the bound once spaces are left out
    old = " ".join(f"old{n}" for n in range(size)) + "\n"
    new = " ".join(f"new{n}" for n in range(size)) + "\n"

    result, page = compare(old, new)

    assert (result.insertions, result.deletions) == (1, 1)
    assert words(marks(page, "ins")[0]) == words(new) and words(marks(page, "del")[0]) == words(old)


# --------------------------------------------------------------------------- moves


def test_a_moved_paragraph_is_marked_moved_where_it_was_and_where_it_is():
    paragraphs = [f"Paragraph {n} says something of its own." for n in range(1, 7)]
    moved = [paragraphs[1], paragraphs[2], paragraphs[3], paragraphs[4], paragraphs[0], paragraphs[5]]

    result, page = compare("\n\n".join(paragraphs), "\n\n".join(moved))

    assert (result.insertions, result.deletions, result.moves) == (0, 0, 1)
    gone, arrived = page.find("del"), page.find("ins")
    assert gone.text == arrived.text == "Paragraph 1 says something of its own."
    assert gone.classes == arrived.classes == ["sms-moved"]
    assert "further down" in gone.attrs["title"] and "further up" in arrived.attrs["title"]
    assert [p.text for p in page.find_all("p")][0] == paragraphs[0]  # shown first where it was


def test_a_moved_step_is_marked_moved_and_nothing_else_changes():
    moved = [STEPS[0], STEPS[2], STEPS[3], STEPS[1], *STEPS[4:]]

    result, page = compare(numbered(STEPS), numbered(moved))

    assert result.moves == 1 and result.insertions == result.deletions == 0
    assert len(page.find_all("del")) == len(page.find_all("ins")) == 1


# --------------------------------------------------------------------------- tables


TABLE = "| Priority | Response | Owner |\n|---|---|---|\n| P1 | 15 minutes | Duty manager |\n| P2 | 1 hour | Service desk |\n"


def test_a_changed_cell_marks_words_inside_its_row_only():
    result, page = compare(TABLE, TABLE.replace("15 minutes", "10 minutes"))

    assert marks(page, "del") == ["15"] and marks(page, "ins") == ["10"]
    rows = page.find("tbody").find_all("tr")
    assert rows[1].find_all("ins") == rows[1].find_all("del") == []
    assert words(without(rows[0], "")) == "P1 15 10 minutes Duty manager"  # not "1510"


def test_an_added_table_row_is_inserted_as_a_whole():
    result, page = compare(TABLE, TABLE + "| P3 | 4 hours | Service desk |\n")

    added = page.find("tbody").find_all("tr")[2]
    assert added.classes == ["sms-ins"]
    assert [cell.find("ins").text for cell in added.find_all("td")] == ["P3", "4 hours", "Service desk"]
    assert result.insertions == 1 and result.deletions == 0
    assert len(page.find_all("ins")) == 3  # one mark per cell: <ins> may not wrap a row


def test_a_deleted_table_row_is_struck_through_as_a_whole():
    result, page = compare(TABLE, TABLE.replace("| P2 | 1 hour | Service desk |\n", ""))

    gone = page.find("tbody").find_all("tr")[1]
    assert gone.classes == ["sms-del"] and [cell.find("del").text for cell in gone.find_all("td")] == [
        "P2", "1 hour", "Service desk"]
    assert page.find_all("ins") == []


# --------------------------------------------------------------------------- safety and form


@pytest.mark.parametrize("raw_script", [False, True], ids=["unchanged-copied", "all-parsed"])
def test_text_that_looks_like_markup_stays_text_in_changed_and_unchanged_blocks(raw_script):
    hostile = "Type &lt;script&gt;alert(1)&lt;/script&gt; or &lt;img src=x onerror=alert(1)&gt; here."
    old = f"Keep: {hostile}\n\nChange: {hostile}\n\nKeep too.\n"
    new = f"Keep: {hostile}\n\nChange now: {hostile}\n\nKeep too.\n"
    if raw_script:  # a raw element only a parser reads right: nothing is copied, all is parsed
        new += "\n<script>alert(2)</script>\n"

    result = redline(render(old), render(new))

    assert_well_formed(result.html)
    assert "<script" not in result.html and "<img" not in result.html
    assert result.html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    assert ("&lt;script&gt;alert(2)&lt;/script&gt;" in result.html) == raw_script  # an input's raw script: text


def test_hostile_markup_made_safe_by_the_caller_stays_safe():
    hostile = 'Click <a href="javascript:alert(1)" onclick="alert(2)">here</a> <img src=x onerror=alert(3)>.'
    old, new = neutralise(render(f"{hostile}\n\nKeep.\n")), neutralise(render(f"{hostile} Now.\n\nKeep.\n"))

    result = redline(old, new)

    assert_well_formed(result.html)
    assert not re.search(r"javascript:|\bon\w+=", result.html), result.html
    assert "Now" in marks(parse_html(result.html), "ins")[0]


def test_heading_ids_and_permalinks_are_left_out_so_the_page_keeps_its_ids_unique():
    result, page = compare("## Purpose\n\nWhy.\n", "## Purpose\n\nWhy not.\n")

    assert page.find("h2").text == "Purpose" and "id" not in page.find("h2").attrs
    assert page.find_all("a") == [] and 'id="' not in result.html


def test_the_output_has_no_element_or_attribute_that_neither_input_had_but_the_marks():
    old = render(TABLE + "\n" + numbered(STEPS) + "\n> A quote.\n\nTerm\n:   Definition.\n\nText.[^1]\n\n[^1]: A note.\n")
    new = render(TABLE.replace("1 hour", "2 hours") + "\n" + numbered(STEPS[1:] + ["Last."])
                 + "\n> A quote, changed.\n\nTerm\n:   Definition, too.\n\nText.[^1]\n\n[^1]: A new note.\n")

    result = redline(old, new)

    scanned, inputs = _scan(result.html), [_scan(old), _scan(new)]
    assert scanned.problems == [] and scanned.stack == []
    assert scanned.tags <= inputs[0].tags | inputs[1].tags | {"ins", "del"}
    assert scanned.attributes <= (inputs[0].attributes | inputs[1].attributes | {"class", "title", "value"}) - {"id"}


def test_malformed_input_gives_well_formed_output():
    old = "<p>Open <b>bold <i>both</b> still</i> text<p>next <ul><li>one<li>two</ul></div></span>tail <em"
    new = "<p>Open <b>bold <i>both</b> changed</i> text<p>next <ul><li>one<li>three</ul></div>tail"

    result = redline(old, new)

    assert_well_formed(result.html)
    assert "changed" in result.html and "three" in result.html


# Documents built from a few kinds of blocks; versions made by inserting, deleting, editing and
# moving blocks. Whatever the edit, the redline without its deletions is the new text, without
# its insertions the old text, and it is well-formed.
_WORDS = st.sampled_from(["ticket", "the", "caller", "P1", "within", "hour", "**urgent**", "[guide](g.md)", "`code`", "&", "<x>"])
_LINE = st.lists(_WORDS, min_size=1, max_size=8).map(" ".join)
_BLOCK = st.one_of(
    _LINE.map(lambda line: line + "."),
    _LINE.map(lambda line: "## " + line),
    st.lists(_LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {item}" for item in items)),
    st.lists(_LINE, min_size=1, max_size=3).map(
        lambda rows: "| A | B |\n|---|---|\n" + "\n".join(f"| {row} | {row[::-1].strip() or 'x'} |" for row in rows)),
    _LINE.map(lambda line: f"```\n{line}\n  {line}\n```"),
    _LINE.map(lambda line: "> " + line),
    st.lists(_LINE, min_size=2, max_size=4).map(lambda items: "\n\n".join(f"- {item}" for item in items)),  # loose
    st.tuples(_LINE, _LINE, _LINE).map(lambda lines: f"1. {lines[0]}\n    - {lines[1]}\n    - {lines[2]}\n2. {lines[0]}"),
)


@st.composite
def _versions(draw: st.DrawFn) -> tuple[str, str]:
    old = draw(st.lists(_BLOCK, min_size=1, max_size=8))
    new = list(old)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["insert", "delete", "edit", "move"]))
        if action == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(_BLOCK))
        elif action == "delete":
            new.pop(draw(st.integers(0, len(new) - 1)))
        elif action == "edit":
            index = draw(st.integers(0, len(new) - 1))
            words = new[index].split(" ")
            at = draw(st.integers(0, len(words) - 1))
            words[at : at + draw(st.integers(0, 2))] = draw(st.lists(_WORDS, max_size=2))
            new[index] = " ".join(words) or "x"
        else:
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(draw(st.integers(0, len(new) - 1))))
    return "\n\n".join(old) + "\n", "\n\n".join(new) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_versions())
def test_any_redline_reads_as_the_new_text_without_its_deletions_and_the_old_without_its_insertions(versions):
    old, new = versions
    old_html, new_html = render(old), render(new)

    result = redline(old_html, new_html)

    assert_well_formed(result.html)
    page = parse_html(result.html)
    assert words(without(page, "del")) == words(_text_of(new_html))
    # White space only up to gluing: a word written against a formatted one keeps the new spacing.
    assert "".join(without(page, "ins").split()) == "".join(_text_of(old_html).split())
    if old_html == new_html:
        assert not result.changed


def _text_of(fragment: str) -> str:
    """The text a reader sees: permalink signs left out, as the redline leaves them out."""
    page = parse_html(fragment)
    for anchor in page.find_all("a", class_="headerlink"):
        anchor.children.clear()
    return without(page, "")


# --------------------------------------------------------------------------- cost


def test_a_five_thousand_paragraph_document_with_a_few_edits_is_redlined_in_a_few_seconds():
    paragraphs = [f"Paragraph {n} tells the Service Desk what to do with ticket {n} and [why](why-{n}.md)." for n in range(5000)]
    edited = list(paragraphs)
    edited[10] = edited[10].replace("what to do", "what never to do")
    del edited[2000]
    edited.insert(4000, "A new paragraph.")
    old, new = render("\n\n".join(paragraphs)), render("\n\n".join(edited))

    started = time.perf_counter()
    result = redline(old, new)
    elapsed = time.perf_counter() - started

    assert (result.insertions, result.deletions) == (2, 1)
    assert elapsed < 10, f"{elapsed:.1f} s"  # about 0.1 s here; quadratic work would take minutes


# --------------------------------------------------------------------------- in a built site


A = "2026-01-05"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> LibraryRepo:
    steps = [f"Do step {n} of the procedure." for n in range(1, 11)]
    with_one_more = [*steps[:3], "Ring the caller back.", *steps[3:]]
    specs = [
        doc("POL-SMS", "policy", title="Service management policy", approved=A),
        doc("PRC-INC", "process", parents=["POL-SMS"], title="Incident management", approved=A),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident", approved=A,
            body=body_with_steps("PRO-INC-001", "procedure", "Log an incident", steps)),
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Escalate an incident", approved=A,
            body=body_with_steps("PRO-INC-002", "procedure", "Escalate an incident", steps)),
    ]
    repo = new_library(tmp_path_factory.mktemp("redline") / "lib", *specs, day=A)
    for doc_id, title in (("PRO-INC-001", "Log an incident"), ("PRO-INC-002", "Escalate an incident")):
        revise(repo, doc_id, version="1.1", approved="2026-02-01", change="Adds the call-back step.",
               body=body_with_steps(doc_id, "procedure", title, with_one_more))
    commit_as(repo, "Add the call-back step", "Bob Writer", "2026-02-01")
    # PRO-INC-002 goes on to 1.2, so its 1.1 becomes a past version with a page of its own.
    revise(repo, "PRO-INC-002", version="1.2", approved="2026-03-01", change="Changes the last step.",
           body=body_with_steps("PRO-INC-002", "procedure", "Escalate an incident", [*with_one_more[:-1], "Close it."]))
    commit_as(repo, "PRO-INC-002 1.2", "Bob Writer", "2026-03-01")
    assert_built(repo.build())
    return repo


def _page(repo: LibraryRepo, name: str) -> Node:
    return read_page(repo.site / "procedures" / name / "index.html")


@pytest.mark.parametrize("page", ["pro-inc-001.changes", "pro-inc-002.v1.1"])
def test_a_built_page_redlines_a_step_added_to_a_numbered_list_as_one_insertion(built, page):
    article = _page(built, page).find("article")

    assert [words(text) for text in marks(article, "ins")] == ["Ring the caller back."]
    assert article.find_all("del") == []
    redlined = article.find("div", class_="sms-redline")
    items = redlined.find("ol").find_all("li")
    assert [item.text for item in items][3:5] == ["Ring the caller back.", "Do step 4 of the procedure."]
    assert "1 insertion, 0 deletions." in article.find(class_="sms-redline-count").text
    # the Markdown source, one click away, shows the renumbering the redline leaves out
    source = article.find("details", class_="sms-source-diff")
    assert source.find("summary").text == "Markdown source diff"
    assert "+4. Ring the caller back." in [line.text for line in source.find_all("div", class_="sms-add")]


def test_a_built_changes_page_marks_a_replaced_step_and_keeps_heading_ids_unique(built):
    page = _page(built, "pro-inc-002.changes")
    article = page.find("article")

    assert marks(article, "del") == ["Do step 10 of the procedure."] and marks(article, "ins") == ["Close it."]
    ids = [node.attrs["id"] for node in page.find_all() if "id" in node.attrs]
    assert len(ids) == len(set(ids))
    fields = {row.find_all("td")[0].text: row.find_all("td")[2].text
              for row in article.find("table", class_="sms-field-changes").find("tbody").find_all("tr")}
    assert fields["version"] == "1.2" and fields["change"] == "Changes the last step."


def test_no_redline_mark_appears_outside_the_redline(built):
    for page in ("pro-inc-001.changes", "pro-inc-002.v1.1", "pro-inc-002.changes", "pro-inc-002.history"):
        article = _page(built, page).find("article")
        redlined = article.find_all("div", class_="sms-redline")
        inside = sum(len(block.find_all("ins")) + len(block.find_all("del")) for block in redlined)
        assert len(article.find_all("ins")) + len(article.find_all("del")) == inside, page

