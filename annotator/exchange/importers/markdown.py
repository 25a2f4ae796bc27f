"""Markdown import (``.md``, ``.markdown``) with markdown-it-py.

The canonical text is the readable prose, without markup: heading markers, emphasis, link
URLs, HTML tags and code fences are dropped; soft line breaks inside a paragraph become
spaces. Structure becomes blocks:

* headings -> ``heading`` blocks with their level;
* list items -> ``list_item`` blocks; ``level`` is the nesting depth (1 = top) and
  ``label`` the number as written ("3.", "2)") or "•" for a bullet. A numbered item's
  number also stays in the text ("3. Do X"); a bullet does not;
* table rows -> one line each, cells joined by " | ", every non-empty cell a
  ``table_cell`` block;
* everything else (paragraphs, block quotes, code blocks) -> ``paragraph`` blocks.

A YAML-style front matter block (``---`` ... ``---`` at the very top) is not part of the
text; its ``title``, ``author`` and ``date`` keys fill the metadata. Otherwise the title is
the first top-level heading, or the first line.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from annotator.domain.structure import BlockKind, DocumentMetadata, ExtractedDocument
from annotator.domain.text import canonicalize
from annotator.exchange.importers._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportProblem,
    TextBuilder,
    check_text_length,
    first_heading_title,
    first_line_title,
    read_limited,
)
from annotator.exchange.importers.text import decode_text

BULLET = "•"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)


# markdown-it stops parsing (silently, dropping the rest of the block) at this nesting.
MAX_NESTING = 64


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.options["maxNesting"] = MAX_NESTING
    return parser


def _container_depth(tokens: list) -> int:
    depth = deepest = 0
    for token in tokens:
        depth += token.nesting
        deepest = max(deepest, depth)
    return deepest


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading ``---`` front-matter block off ``text``; return (simple keys, rest)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    keys: dict[str, str] = {}
    for key_match in _FRONT_KEY.finditer(match.group(1)):
        value = key_match.group(2).strip().strip("\"'")
        if value:
            keys[key_match.group(1).lower()] = value
    return keys, text[match.end() :]


def _inline_text(token: Token) -> str:
    """Plain text of an ``inline`` token: markup dropped, soft breaks as spaces."""
    out: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "text_special", "code_inline"):
            out.append(child.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "image":
            out.append(child.content)  # the alt text
        elif kind == "html_inline" and child.content.lower().startswith("<br"):
            out.append("\n")
    return "".join(out)


class _ListState:
    """One open list: ordered or not, and the identity used to keep its items tight."""

    def __init__(self, ordered: bool, group: object) -> None:
        self.ordered = ordered
        self.group = group


def _convert(tokens: list[Token]) -> TextBuilder:
    builder = TextBuilder()
    lists: list[_ListState] = []
    pending_label: str | None = None  # label of a list item whose text has not come yet
    pending_number: str | None = None
    heading_level: int | None = None
    row: list[str] | None = None
    table_group: object | None = None

    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            heading_level = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            group = lists[0].group if lists else object()
            lists.append(_ListState(kind == "ordered_list_open", group))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            pending_label = pending_number = None
        elif kind == "list_item_open":
            if lists and lists[-1].ordered:
                pending_label = f"{token.info}{token.markup}"
                pending_number = pending_label
            else:
                pending_label, pending_number = BULLET, None
        elif kind == "list_item_close":
            pending_label = pending_number = None
        elif kind == "table_open":
            table_group = object()
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if row is not None:
                builder.add_row(row, group=table_group)
            row = None
        elif kind == "inline":
            content = _inline_text(token)
            if row is not None:
                row.append(content)
            elif heading_level is not None:
                builder.add(BlockKind.HEADING, content, level=heading_level)
            elif pending_label is not None and lists:
                text = f"{pending_number} {content.strip()}" if pending_number else content
                builder.add(
                    BlockKind.LIST_ITEM,
                    text,
                    level=len(lists),
                    label=pending_label,
                    group=lists[0].group,
                )
                pending_label = pending_number = None
            else:
                builder.add(BlockKind.PARAGRAPH, content)
        elif kind in ("fence", "code_block"):
            builder.add(BlockKind.PARAGRAPH, token.content.rstrip("\n"))
        elif kind == "html_block":
            builder.add(BlockKind.PARAGRAPH, _TAG.sub("", token.content))
    return builder


def extract_markdown(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Import a Markdown file as readable prose with heading, list and table blocks."""
    data = read_limited(path, limits.max_text_bytes, "Markdown")
    raw, encoding = decode_text(path, data)
    source = canonicalize(raw)
    front, body = split_front_matter(source)
    try:
        tokens = _parser().parse(body)
    except Exception as exc:  # markdown-it is total on str input; be safe anyway
        raise ImportProblem(path, f"the Markdown could not be read ({exc})") from None
    if _container_depth(tokens) >= MAX_NESTING - 1:
        raise ImportProblem(
            path,
            f"the Markdown is nested too deeply (quotes or lists more than {MAX_NESTING - 2} "
            "levels deep); it cannot be read without losing text",
        )
    builder = _convert(tokens)
    text = builder.text()
    if not text.strip():
        raise ImportProblem(path, "the file contains no text")
    check_text_length(path, text, limits)
    blocks = tuple(builder.blocks)
    title = front.get("title") or first_heading_title(text, blocks) or first_line_title(text)
    attributes = {"encoding": encoding}
    metadata = DocumentMetadata(
        title=title,
        author=front.get("author"),
        date=front.get("date"),
        source=str(path),
        attributes=attributes,
    )
    return ExtractedDocument(
        text=text,
        blocks=blocks,
        pages=(),
        metadata=metadata,
        source_format="markdown",
        original=data,
        original_name=path.name,
    )
