"""A redline between two versions of a document: the new version's rendered text with what
was added marked `<ins>` and what was taken out marked `<del>`.

Readers compare what they read, not Markdown, so both versions come in as rendered HTML
(converted and made safe by the caller). They are compared block by block — headings,
paragraphs, list items, table rows, quotes, code — and only inside a changed block word by
word. Two things that change the source without changing the text are not changes: list
numbers (an ordered list numbers its items by position, so items are compared by their
text) and line breaks inside a paragraph (all white space compares equal, outside code).

What changed is rebuilt from parsed trees, and what did not is copied from the new version
once a scan of its tags shows them plainly nested (else it is parsed too): every tag is
closed and nested, text is escaped, and the output has no element that neither input had
but `ins` and `del` (marked blocks and list items carry a class, renumbered items a
`value`). Heading ids and permalink anchors are left out: the redline repeats headings that
the page may already show, and an id may appear only once in a page.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from html.parser import HTMLParser

from .safety import BLOCKED

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
# Elements whose children are blocks in their own right, compared one by one.
LISTS = frozenset({"ol", "ul", "dl", "menu", "table", "thead", "tbody", "tfoot"})
FLOW = frozenset(
    {"li", "dd", "td", "th", "blockquote", "div", "section", "article", "aside", "details", "figure", "main",
     "header", "footer", "nav", "fieldset", "form", "center"}
)
# Blocks whose content is a line of text, compared word by word.
LEAVES = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "summary", "figcaption", "caption", "legend", "address",
     "colgroup", "hgroup"}
)
BLOCK_LEVEL = LISTS | FLOW | LEAVES | {"tr", "hr"}
# Items that may only stand inside their list or table: marks go inside them, never around.
ITEMS = frozenset({"li", "dd", "dt", "td", "th", "tr", "caption", "colgroup", "thead", "tbody", "tfoot"})
# A paragraph directly in a list item or cell is the same text as the item's bare text: a
# list turns "loose" (every item wrapped in <p>) when one blank line is added between items.
LOOSE = frozenset({"li", "dd", "td", "th"})

WORD_BOUND = 250_000  # product of the changed words of a block beyond which it is marked as a whole
LOOKAHEAD = 8  # blocks looked at ahead when deciding which changed blocks pair up
_WORD = re.compile(r"\w")
# In escaped text: white space, words (with the joins of ids, numbers and paths: PRO-INC-002,
# 8.5.1, and/or), entities, and other punctuation on its own, so that "ticket." and
# "ticket, then" share "ticket".
_PIECES = re.compile(r"\s+|\w+(?:[-'’./]\w+)*|&(?:#\w+|\w+);|[^\w\s]")


@dataclass(frozen=True)
class Redline:
    html: str
    insertions: int  # inserted blocks and runs of inserted words
    deletions: int
    moves: int  # blocks moved unchanged, each shown where it was and where it is

    @property
    def changed(self) -> bool:
        return bool(self.insertions or self.deletions or self.moves)


def redline(old_html: str, new_html: str) -> Redline:
    """The new version's text with the changes from the old one marked."""
    old, new = _top_level(old_html), _top_level(new_html)
    if old is None or new is None:
        ops = _align(_blocks(_parse(old_html)), _blocks(_parse(new_html)))
    else:
        ops = []
        for op, i1, i2, j1, j2 in _opcodes([piece.strip() for piece in old], [piece.strip() for piece in new]):
            if op == "equal":
                ops.append(("same", None, Block("copy", None, _unchanged("".join(new[j1:j2])).strip())))
            else:
                ops += _align(_blocks(_parse("".join(old[i1:i2]))), _blocks(_parse("".join(new[j1:j2]))))
    writer = _Redliner()
    body = writer.render(_find_moves(ops), None)
    return Redline("\n".join(part for part in body if part), writer.insertions, writer.deletions, writer.moves)


# --------------------------------------------------------------------------- unchanged stretches

# Most versions change a few blocks of a long text. The two texts' top-level elements are
# first compared as strings; those equal are copied without parsing, which is most of the
# cost, and only the stretches between them are parsed and compared block by block.
# Copied, they lose their ids and permalinks as parsed blocks do.
_TAG = re.compile(r"""<(/?)([a-zA-Z][^\s/>]*)((?:"[^"]*"|'[^']*'|[^'">])*)>|<[!?]""")
# A start tag up to its `id`, read attribute by attribute so that no quoted value is mistaken for one.
_VALUE = r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_ID = re.compile(rf"""(<[a-zA-Z][^\s/>]*(?:\s+(?!(?i:id)\b)[^\s"'>/=]+{_VALUE})*)\s+(?i:id){_VALUE}""")
_PERMALINK = re.compile(r"""<a\s[^>]*\bclass="[^"]*\bheaderlink\b[^"]*"[^>]*>[^<]*</a>""")


@lru_cache(maxsize=2)  # each version is compared twice in a row: as the new text, then as the old
def _top_level(fragment: str) -> tuple[str, ...] | None:
    """The fragment cut after each of its top-level elements, or None unless every tag is
    plainly nested and nothing in it needs a real parser to be read right (comments,
    elements whose content is raw text, tags closed by omission)."""
    pieces: list[str] = []
    open_tags: list[str] = []
    start = 0
    for match in _TAG.finditer(fragment):
        closing, name, attributes = match.groups()
        kind = _KINDS.get(name)
        if kind is None:
            kind = _KINDS[name] = _kind(name)
        if kind == "blocked":
            return None
        if closing:
            if not open_tags or open_tags[-1] != name:
                return None
            open_tags.pop()
        elif kind == "void":
            pass
        elif attributes.endswith("/"):
            return None
        else:
            open_tags.append(name)
        if not open_tags:
            pieces.append(fragment[start : match.end()])
            start = match.end()
    if open_tags:
        return None
    pieces.append(fragment[start:])
    return tuple(pieces)


_KINDS: dict[str | None, str] = {}


def _kind(name: str | None) -> str:
    if name is None or name.lower() in BLOCKED or not name.islower():  # upper case: another spelling of a tag
        return "blocked"
    return "void" if name in VOID else "element"


def _unchanged(fragment: str) -> str:
    return _ID.sub(r"\1", _PERMALINK.sub("", fragment))


# --------------------------------------------------------------------------- trees


@dataclass(eq=False)
class Element:
    tag: str
    open: str  # the start tag as written back, without `id`
    children: list[Element | str] = field(default_factory=list)
    attrs: tuple[tuple[str, str | None], ...] = ()

    def start(self, extra: dict[str, str] | None = None) -> str:
        if not extra:
            return self.open
        attrs = dict(self.attrs)
        for name, value in extra.items():
            attrs[name] = f"{attrs[name]} {value}" if name == "class" and attrs.get(name) else value
        return _start(self.tag, attrs.items())

    @property
    def end(self) -> str:
        return "" if self.tag in VOID else f"</{self.tag}>"


def _start(tag: str, attrs: Iterable[tuple[str, str | None]]) -> str:
    written = "".join(f" {name}" if value is None else f' {name}="{_attribute(value)}"' for name, value in attrs)
    return f"<{tag}{written}>"


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _parse(fragment: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    if builder.rawdata:  # an unfinished tag at the very end is text
        builder.handle_data(builder.rawdata)
    return builder.root


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("", "")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs, tag not in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs, False)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]], opens: bool) -> None:
        if tag in BLOCKED:  # the caller's inputs are safe; this keeps the output so even if they were not
            self.handle_data(self.get_starttag_text() or f"<{tag}>")
            return
        kept = tuple((name, value) for name, value in attrs if name != "id")
        element = Element(tag, _start(tag, kept), attrs=kept)
        # A permalink anchor leads to a heading id the redline does not carry.
        if not (tag == "a" and "headerlink" in (dict(attrs).get("class") or "").split()):
            self.stack[-1].children.append(element)
        if opens:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKED:
            self.handle_data(f"</{tag}>")
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def _serialise(nodes: Sequence[Element | str]) -> str:
    out: list[str] = []
    stack: list[tuple[Sequence[Element | str], int]] = [(nodes, 0)]
    closes: list[str] = []
    while stack:
        siblings, index = stack.pop()
        if index >= len(siblings):
            if closes and stack:
                out.append(closes.pop())
            continue
        stack.append((siblings, index + 1))
        node = siblings[index]
        if isinstance(node, str):
            out.append(html.escape(node, quote=False))
        elif node.tag in VOID:
            out.append(node.open)
        else:
            out.append(node.open)
            closes.append(node.end)
            stack.append((node.children, 0))
    return "".join(out)


# --------------------------------------------------------------------------- words


@dataclass(eq=False)
class Token:
    """A word (or, in code, a run of spaces) with the white space before it, and the inline
    elements (links, emphasis) each sits in."""

    space: str
    space_context: tuple[Element, ...]
    text: str  # as written out: escaped text or a void element's tag
    context: tuple[Element, ...]
    key: str


def _tokenise(nodes: Sequence[Element | str], code: bool) -> list[Token]:
    tokens: list[Token] = []
    space = ""
    space_context: tuple[Element, ...] = ()
    todo: list[tuple[Sequence[Element | str], int, tuple[Element, ...], str]] = [(nodes, 0, (), "")]
    while todo:
        siblings, index, context, context_key = todo.pop()
        if index >= len(siblings):
            continue
        todo.append((siblings, index + 1, context, context_key))
        node = siblings[index]
        if isinstance(node, str):
            for piece in _PIECES.findall(html.escape(node, quote=False)):
                if not code and piece.isspace():
                    if not space:
                        space_context = context
                    space += piece
                    continue
                tokens.append(Token(space, space_context, piece, context, f"{context_key}\0{piece}"))
                space = ""
        elif node.tag in VOID or not node.children:
            written = node.open + node.end
            tokens.append(Token(space, space_context, written, context, f"{context_key}\1{written}"))
            space = ""
        else:
            todo.append((node.children, 0, (*context, node), context_key + node.open))
    if tokens:
        tokens[0].space = ""  # white space at the start of a block is not text
    return tokens


class _InlineWriter:
    """Writes tokens, opening and closing their inline elements so that every tag nests."""

    def __init__(self, out: list[str], base: int = 0) -> None:
        self.out = out
        self.base = base  # elements of each context already open outside this writer
        self.stack: list[Element] = []

    def goto(self, context: tuple[Element, ...]) -> None:
        wanted = context[self.base :]
        keep = 0
        while keep < len(self.stack) and keep < len(wanted) and self.stack[keep].open == wanted[keep].open:
            keep += 1
        while len(self.stack) > keep:
            self.out.append(self.stack.pop().end)
        for element in wanted[keep:]:
            self.out.append(element.open)
            self.stack.append(element)

    def token(self, token: Token, space: str) -> None:
        if space:
            self.goto(token.space_context)
            self.out.append(space)
        self.goto(token.context)
        self.out.append(token.text)


def _common_context(tokens: Sequence[Token], first_space: bool) -> tuple[Element, ...]:
    """The inline elements every token of a run (and each space written with it) sits in."""
    common = tokens[0].context
    for index, token in enumerate(tokens):
        spaced = token.space and (index or first_space)
        contexts = (token.context, token.space_context) if spaced else (token.context,)
        for context in contexts:
            size = 0
            while size < len(common) and size < len(context) and common[size].open == context[size].open:
                size += 1
            common = common[:size]
    # A mark may not stand directly in a list or table (malformed input can put one inline).
    for depth, element in enumerate(common):
        if element.tag in LISTS or element.tag in ("tr", "colgroup"):
            return common[:depth]
    return common


# --------------------------------------------------------------------------- blocks


@dataclass(eq=False)
class Block:
    """One unit of comparison: text (a line of words), a table row, a list or other container,
    or an element with no text (a rule)."""

    kind: str  # "text", "row", "box", "void", or "copy" (unchanged HTML copied as it is: `key`)
    element: Element | None  # None for bare text standing between blocks
    key: str
    nodes: Sequence[Element | str] = ()  # a text's content
    children: list[Block] = field(default_factory=list)  # a box's blocks, a row's cells
    code: bool = False  # white space is text (a <pre>)
    _tokens: list[Token] | None = None
    _words: Counter[str] | None = None

    @property
    def tokens(self) -> list[Token]:
        """The words of a text, read only for blocks that changed: most blocks are only compared whole."""
        if self._tokens is None:
            self._tokens = _tokenise(self.nodes, self.code)
        return self._tokens

    @property
    def tag(self) -> str:
        return self.element.tag if self.element else ""

    @property
    def words(self) -> Counter[str]:
        if self._words is None:
            self._words = Counter(_words_of(self))
        return self._words


Op = tuple[str, Block | None, Block | None]  # (operation, old block, new block)


def _words_of(block: Block) -> list[str]:
    """The keys of a block's words, punctuation left out: blocks that share only commas and
    full stops have nothing in common."""
    words = [token.key for token in block.tokens if _WORD.match(token.text)]
    for child in block.children:
        words.extend(_words_of(child))
    return words


def _blocks(parent: Element) -> list[Block]:
    blocks: list[Block] = []
    run: list[Element | str] = []

    def flush() -> None:
        if any(not isinstance(node, str) or not node.isspace() for node in run):
            blocks.append(_text_block(None, list(run), "T"))
        run.clear()

    for node in parent.children:
        if isinstance(node, str) or node.tag not in BLOCK_LEVEL:
            run.append(node)
            continue
        flush()
        blocks.append(_block(node, parent.tag))
    flush()
    return blocks


def _block(element: Element, parent: str) -> Block:
    tag = element.tag
    if tag == "p" and parent in LOOSE:
        return _text_block(element, element.children, "T")
    if tag in LEAVES or tag in VOID and not element.children:
        if tag in VOID:
            return Block("void", element, "V" + element.open)
        return _text_block(element, element.children, "L" + element.open, code=tag == "pre")
    if tag == "tr":
        cells = [_block(cell, "tr") for cell in element.children if isinstance(cell, Element)]
        return Block("row", element, "R" + element.open + "\3".join(cell.key for cell in cells) + "\4", children=cells)
    children = _blocks(element)
    return Block("box", element, "B" + element.open + "\3".join(child.key for child in children) + "\4", children=children)


def _text_block(element: Element | None, nodes: Sequence[Element | str], prefix: str, code: bool = False) -> Block:
    written = _serialise(nodes)
    # Compared whole, a text's white space counts only in code: elsewhere it is where lines wrap.
    return Block("text", element, prefix + (written if code else " ".join(written.split())), nodes=nodes, code=code)


def _pairable(old: Block, new: Block) -> bool:
    """Whether two changed blocks are best shown as one block with its words marked."""
    if old.kind != new.kind or old.kind == "void":
        return False
    if old.kind == "box":
        return old.tag == new.tag
    if old.kind == "text" and (old.key[0] != new.key[0] or old.tag != new.tag and old.key[0] == "L"):
        return False
    if old.kind == "row" and old.children and new.children and old.children[0].key == new.children[0].key:
        return True  # the same first cell: the same row, changed elsewhere
    # Half the words of the shorter block are in the longer one: an edit, not a new text.
    shorter = min(sum(old.words.values()), sum(new.words.values()))
    return shorter == 0 or 2 * sum((old.words & new.words).values()) >= shorter


def _opcodes(old: Sequence[str], new: Sequence[str]) -> Iterator[tuple[str, int, int, int, int]]:
    """difflib's opcodes, with the common start and end (most of a long text) found first."""
    start = 0
    while start < len(old) and start < len(new) and old[start] == new[start]:
        start += 1
    end = 0
    while end < len(old) - start and end < len(new) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    if start:
        yield "equal", 0, start, 0, start
    matcher = SequenceMatcher(None, old[start : len(old) - end], new[start : len(new) - end], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        yield op, i1 + start, i2 + start, j1 + start, j2 + start
    if end:
        yield "equal", len(old) - end, len(old), len(new) - end, len(new)


def _align(old: list[Block], new: list[Block]) -> list[Op]:
    """(operation, old block, new block): same, pair (changed), ins or del."""
    ops: list[Op] = []
    for op, i1, i2, j1, j2 in _opcodes([block.key for block in old], [block.key for block in new]):
        if op == "equal":
            ops.extend(("same", old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            ops.extend(_pair_up(old[i1:i2], new[j1:j2]))
    return ops


def _pair_up(old: list[Block], new: list[Block]) -> list[Op]:
    ops: list[Op] = []
    i = j = 0
    while i < len(old) and j < len(new):
        if _pairable(old[i], new[j]):
            ops.append(("pair", old[i], new[j]))
            i, j = i + 1, j + 1
        elif any(_pairable(old[i], later) for later in new[j + 1 : j + 1 + LOOKAHEAD]):
            ops.append(("ins", None, new[j]))
            j += 1
        elif any(_pairable(later, new[j]) for later in old[i + 1 : i + 1 + LOOKAHEAD]):
            ops.append(("del", old[i], None))
            i += 1
        else:
            ops.extend((("del", old[i], None), ("ins", None, new[j])))
            i, j = i + 1, j + 1
    ops.extend(("del", block, None) for block in old[i:])
    ops.extend(("ins", None, block) for block in new[j:])
    return ops


def _find_moves(ops: list[Op]) -> list[Op]:
    """Unchanged blocks deleted in one place and inserted in another become moved-del and moved-ins."""
    deleted: dict[str, list[int]] = {}
    for index, (op, old, _new) in enumerate(ops):
        if op == "del" and old is not None and _words_of(old):
            deleted.setdefault(old.key, []).append(index)
    if not deleted:
        return ops
    for index, (op, _old, new) in enumerate(ops):
        if op == "ins" and new is not None and deleted.get(new.key):
            gone = deleted[new.key].pop(0)
            ops[gone] = ("moved-del", ops[gone][1], new)
            ops[index] = ("moved-ins", ops[gone][1], new)
    return ops


# --------------------------------------------------------------------------- writing


class _Redliner:
    def __init__(self) -> None:
        self.insertions = 0
        self.deletions = 0
        self.moves = 0

    def blocks(self, old: list[Block], new: list[Block], parent: Element | None) -> list[str]:
        return self.render(_find_moves(_align(old, new)), parent)

    def render(self, ops: list[Op], parent: Element | None) -> list[str]:
        numbers = _numbers(ops, parent)
        out: list[str] = []
        for index, (op, before, after) in enumerate(ops):
            extra = {"value": str(numbers[index])} if index in numbers else None
            if op == "same" and after is not None:
                out.append(_same(after, extra))
            elif op == "pair" and before is not None and after is not None:
                out.append(self.pair(before, after, extra))
            elif op == "ins" and after is not None:
                self.insertions += 1
                out.append(_whole(after, "ins", parent, extra))
            elif op == "del" and before is not None:
                self.deletions += 1
                out.append(_whole(before, "del", parent, None))
            elif op == "moved-del" and before is not None:  # shown where it was and where it is
                self.moves += 1
                down = any(other is after for other_op, _b, other in ops[index + 1 :] if other_op == "moved-ins")
                out.append(_whole(before, "del", parent, None, f"Moved from here to further {'down' if down else 'up'}, unchanged"))
            elif op == "moved-ins" and after is not None:
                from_below = any(other is before for other_op, other, _a in ops[index + 1 :] if other_op == "moved-del")
                out.append(_whole(after, "ins", parent, extra, f"Moved here from further {'down' if from_below else 'up'}, unchanged"))
        return out

    def pair(self, old: Block, new: Block, extra: dict[str, str] | None) -> str:
        element = new.element
        if new.kind == "text":
            inner = self.words(old.tokens, new.tokens, new.code)
        elif new.kind == "row":
            cells = []
            for index in range(max(len(old.children), len(new.children))):
                if index >= len(new.children):
                    self.deletions += 1
                    cells.append(_whole(old.children[index], "del", element, None))
                elif index >= len(old.children):
                    self.insertions += 1
                    cells.append(_whole(new.children[index], "ins", element, None))
                elif old.children[index].key == new.children[index].key:
                    cells.append(_same(new.children[index], None))
                else:
                    cells.append(self.pair(old.children[index], new.children[index], None))
            inner = "\n".join(cells)
        else:
            inner = "\n" + "\n".join(self.blocks(old.children, new.children, element)) + "\n"
        if element is None:
            return inner
        return element.start(extra) + inner + element.end

    def words(self, old: list[Token], new: list[Token], code: bool) -> str:
        start = 0
        while start < len(old) and start < len(new) and old[start].key == new[start].key:
            start += 1
        end = 0
        while end < len(old) - start and end < len(new) - start and old[-1 - end].key == new[-1 - end].key:
            end += 1
        old_middle, new_middle = old[start : len(old) - end], new[start : len(new) - end]
        # (mark, tokens written, the old tokens equal to them when unmarked)
        runs: list[tuple[str, list[Token], list[Token]]] = [("", new[:start], old[:start])]
        if len(old_middle) * len(new_middle) > WORD_BOUND:
            runs += [("del", old_middle, []), ("ins", new_middle, [])]  # one change in a very long block: marked whole
        else:
            matcher = SequenceMatcher(None, [t.key for t in old_middle], [t.key for t in new_middle], autojunk=False)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op == "equal":
                    runs.append(("", new_middle[j1:j2], old_middle[i1:i2]))
                else:
                    runs += [("del", old_middle[i1:i2], []), ("ins", new_middle[j1:j2], [])]
        runs.append(("", new[len(new) - end :], old[len(old) - end :]))
        out: list[str] = []
        writer = _InlineWriter(out)
        started = False  # whether a word of the new version is written yet
        for index, (mark, tokens, olds) in enumerate(runs):
            if not tokens:
                continue
            if not mark:
                for token, before in zip(tokens, olds, strict=True):
                    # After words deleted at the start, the old space keeps them apart from the next.
                    writer.token(token, token.space or ("" if started else before.space))
                    started = True
                continue
            if mark == "ins":
                self.insertions += 1
                started = True
            else:
                self.deletions += 1
            first = tokens[0]
            following = next((run for run in runs[index + 1 :] if run[1]), None)
            # The space before a change is written outside it, as part of the new text, unless
            # the new text has none there: deleted words the new version closes up over
            # ("ticket ticket." to "ticket.") take their space with them.
            inside = mark == "del" and following is not None and not following[1][0].space
            if first.space and not inside:
                writer.goto(first.space_context)
                out.append(first.space)
            common = _common_context(tokens, inside)
            writer.goto(common)
            out.append(f"<{mark}>")
            inner = _InlineWriter(out, len(common))
            for position, token in enumerate(tokens):
                inner.token(token, token.space if position or inside else "")
            if mark == "del" and not code and following and following[0] == "ins" and not following[1][0].space:
                out.append(" ")  # struck out with the old words: keeps "15" and "10" from reading "1510"
            inner.goto(common)
            out.append(f"</{mark}>")
        writer.goto(())
        return "".join(out)


def _numbers(ops: list[Op], parent: Element | None) -> dict[int, int]:
    """Item numbers of an ordered list that shows deleted items: the deleted ones take no
    number, so every other item is given its number in the new version."""
    if parent is None or parent.tag != "ol" or not any(op in ("del", "moved-del") for op, _o, _n in ops):
        return {}
    attrs = dict(parent.attrs)
    number = int(attrs["start"]) if (attrs.get("start") or "").lstrip("-").isdigit() else 1
    step = -1 if "reversed" in attrs else 1
    numbers = {}
    for index, (op, _old, new) in enumerate(ops):
        if op not in ("del", "moved-del") and new is not None and new.tag == "li":
            numbers[index] = number
            number += step
    return numbers


def _same(block: Block, extra: dict[str, str] | None) -> str:
    if block.kind == "copy":
        return block.key
    if block.element is None:
        return _serialise(block.nodes).strip()
    return block.element.start(extra) + _serialise(block.element.children) + block.element.end


def _whole(block: Block, mark: str, parent: Element | None, extra: dict[str, str] | None, moved: str = "") -> str:
    """A block added or taken out as a whole: one mark around all of it where HTML allows,
    else one inside each of its parts (a table row's cells)."""
    element = block.element
    if element is None:
        return _mark(mark, moved) + _serialise(block.nodes).strip() + f"</{mark}>"
    if element.tag in ("li", "tr"):
        extra = {**(extra or {}), "class": f"sms-{mark}"}
    if element.tag in ("tr", "thead", "tbody", "tfoot"):
        parts = [_whole(child, mark, element, None, moved) for child in block.children]
        return element.start(extra) + "\n".join(parts) + element.end
    inner = _serialise(element.children)
    if element.tag == "colgroup" or not inner.strip() and element.tag not in VOID:
        return element.start(extra) + inner + element.end  # nothing a reader sees, nothing to mark
    if element.tag in ITEMS or block.kind == "text" or parent is not None and parent.tag in LISTS | {"tr"}:
        return element.start(extra) + _mark(mark, moved) + inner + f"</{mark}>" + element.end
    # a list, table, quote or rule in running text: one mark around it
    return _mark(mark, moved, block_level=True) + element.start(extra) + inner + element.end + f"</{mark}>"


def _mark(mark: str, moved: str, block_level: bool = False) -> str:
    classes = " ".join(name for name, wanted in (("sms-block", block_level), ("sms-moved", moved)) if wanted)
    return f"<{mark}" + (f' class="{classes}"' if classes else "") + (f' title="{moved}"' if moved else "") + ">"
