"""Markdown to the plain text the cleaner reads: press releases saved from a CMS or a wiki as
.md carry "# " headings, **bold** datelines, *italic* headers and [links](url), whose marks
would otherwise stand in the headline, hide a dateline or a header from clean.py and end up
in the body. Only the marks go; the words and the line structure stay. Regular expressions
rather than a Markdown library: rendering to HTML and back would lose nothing we keep, but
would add a dependency for six patterns.
"""

from __future__ import annotations

import re

_RULES = [
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),   # "# Headline #"
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),                              # "> quoted line"
    (re.compile(r"^ {0,3}(?:[-*_] ?){3,}[ \t]*$", re.M), ""),               # "---" rule
    (re.compile(r"^([ \t]*)[*+][ \t]+", re.M), r"\1- "),                    # "* item" -> "- item"
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),                         # ![alt](src)
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                          # [text](url)
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),                  # **bold**, __bold__
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"), # *italic*
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),   # _italic_
    (re.compile(r"`([^`\n]+)`"), r"\1"),                                    # `code`
]


def markdown_to_text(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
