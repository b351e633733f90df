"""A citeproc-py output formatter that marks italics with private-use characters.

citeproc-py's own HTML formatter does not escape every string it outputs, so its result cannot be
put in a page as is. This formatter keeps the text raw and marks only italics; `to_html` then
escapes the whole text and turns the marks into <i>, so escaping is right by construction, and
`strip` gives the plain text a reader copies.
"""

from __future__ import annotations

import html

_I, _END = "\ue000", "\ue001"


def preformat(text: str) -> str:
    return str(text).replace(_I, "").replace(_END, "")  # data can never forge a mark


class Italic(str):
    def __new__(cls, text: str) -> Italic:
        return super().__new__(cls, f"{_I}{text}{_END}")


Oblique = Italic
Bold = str
Light = str
Underline = str
Superscript = str
Subscript = str
SmallCaps = str


def strip(text: str) -> str:
    return text.replace(_I, "").replace(_END, "")


def to_html(text: str) -> str:
    return html.escape(text, quote=False).replace(_I, "<i>").replace(_END, "</i>")
