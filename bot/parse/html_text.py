"""HTML fragments from feeds to plain text.

Rules: block elements (p, div, br, li, headings, ...) end a paragraph; paragraphs are joined
with a single "\\n"; whitespace inside a paragraph collapses to one space; entities are decoded;
the content of script, style and other non-text elements is dropped. Broken markup never
raises: the standard library's tolerant HTMLParser reads whatever it can.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_DROPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "head", "title"}
)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b\ufeff]+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._dropping: list[str] = []  # open elements whose content is dropped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping.append(tag)
        elif tag in _BLOCK_TAGS:
            self.end_paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.end_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._dropping:
            # close it and anything opened inside it and left unclosed
            while self._dropping.pop() != tag:
                pass
        elif tag in _BLOCK_TAGS:
            self.end_paragraph()

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._current.append(data)

    def end_paragraph(self) -> None:
        text = _SPACES.sub(" ", "".join(self._current)).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: paragraphs kept as "\\n", entities decoded,
    scripts and styles dropped."""
    if not html:
        return ""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    collector.end_paragraph()
    return "\n".join(collector.paragraphs)


def plain_to_text(text: str) -> str:
    """Tidy text that is already plain: collapse spaces inside lines, drop blank lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
