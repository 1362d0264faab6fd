"""HTML read back into a small tree, for the Word documents (``cptrack.reports.word``).

A report's sections are HTML; this parses them (Python's own HTML parser, so what was escaped
for HTML arrives as the characters typed: a case note holding ``<b>`` shows ``<b>``, never a
tag) into ``Node``s the Word writer walks, and cleans text of the control characters XML
cannot hold (shown as U+FFFD, never dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

VOID = {"img", "br", "hr", "meta", "input", "link", "col", "wbr"}
SKIP = {"style", "script", "head", "title"}
BLOCK = {
    "div",
    "p",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "section",
    "figure",
    "pre",
    "img",
    "hr",
    "details",
    "summary",
    "blockquote",
    "header",
    "footer",
}
# XML 1.0 cannot hold these; they are shown as U+FFFD rather than silently dropped.
NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Any] = field(default_factory=list)  # Node or str

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def clean(text: str) -> str:
    """Text XML can hold: form feeds and vertical tabs as line breaks, other control
    characters as U+FFFD (shown, not dropped)."""
    return NOT_XML.sub("\ufffd", text.replace("\x0b", "\n").replace("\x0c", "\n"))
