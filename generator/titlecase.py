"""What citeproc-js, the CSL processor Zotero uses, does to a title and the punctuation around it,
so the atlas's citations read as a reference manager prints them.

citeproc-py renders the styles; three things it does differently from citeproc-js are done here
the citeproc-js way:

- title case (`text-case="title"`, Chicago and MLA): citeproc-js's own algorithm and stop-word
  list (`CSL.Output.Formatters.title`, `CSL.SKIP_WORDS`): "More than Words: China against the
  Three Evils", where citeproc-py capitalises "Than" and "Against";
- quotes in a title: straight or curly, double or single, become the locale's quotes by nesting
  level (inside a title the style quotes, “ ” turn to ‘ ’), and an apostrophe becomes ’;
- punctuation in quotes (the en-US locale's `punctuation-in-quote`): “Kyrgyzstan.” not
  “Kyrgyzstan”., and a title's own ? or ! takes the place of the style's period.

tests/test_titlecase.py compares whole citations with strings citeproc-js rendered from the same
items, styles and locale (tests/fixtures/citeproc_js/, made by tools/citeproc_js/).
"""

from __future__ import annotations

import re

# CSL.SKIP_WORDS of citeproc-js 2.4.63, as its title case uses them.
SKIP_WORDS = [
    *[
        "about",
        "above",
        "across",
        "afore",
        "after",
        "against",
        "al",
        "along",
        "alongside",
        "amid",
        "amidst",
        "among",
        "amongst",
        "anenst",
        "apropos",
        "apud",
        "around",
        "as",
        "aside",
        "astride",
        "at",
        "athwart",
        "atop",
        "barring",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "but",
        "by",
        "circa",
        "despite",
        "down",
        "during",
        "et",
        "except",
        "for",
        "forenenst",
        "from",
        "given",
        "in",
        "inside",
        "into",
        "lest",
        "like",
        "modulo",
        "near",
        "next",
        "notwithstanding",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "over",
        "per",
        "plus",
        "pro",
        "qua",
        "sans",
        "since",
        "than",
        "through",
        " thru",  # sic: with its space, as citeproc-js has it (so "thru" is no stop word)
        "throughout",
        "thruout",
        "till",
        "to",
        "toward",
        "towards",
        "under",
        "underneath",
        "until",
        "unto",
        "up",
        "upon",
        "versus",
        "vs.",
        "v.",
        "vs",
        "v",
        "via",
        "vis-à-vis",
        "with",
        "within",
        "without",
    ],
    *[
        "according to",
        "ahead of",
        "apart from",
        "as for",
        "as of",
        "as per",
        "as regards",
        "aside from",
        "back to",
        "because of",
        "close to",
        "due to",
        "except for",
        "far from",
        "inside of",
        "instead of",
        "near to",
        "next to",
        "on to",
        "out from",
        "out of",
        "outside of",
        "prior to",
        "pursuant to",
        "rather than",
        "regardless of",
        "such as",
        "that of",
        "up to",
        "where as",
    ],
    *["or", "yet", "so", "for", "and", "nor", "a", "an", "the", "de", "d'", "von", "van", "c", "ca"],
]
_SKIP = re.compile(r"(?:(?:[?!:]*\s+|-|^)(?:" + "|".join(SKIP_WORDS) + r")(?=[!?:]*\s+|-|$))")
# citeproc-js's tag splitter: quotes, punctuation and brackets are the seams between word runs.
_TAGS = re.compile("(\u2018|\u2019|\u201c|\u201d| \"| '|\"|'|[-\u2013\u2014/.,;?!:]|\\[|\\]|\\(|\\))")
_SPACE = re.compile("([\u00a0\u0020\u2000-\u200b\u205f\u3000]+)")


def _capitalise(word: str) -> str:
    m = re.match(r"(\s*)(.)(.*)", word, re.S)
    if m and not (re.fullmatch("[\u0370-\u03ff]", m.group(2)) and not m.group(3)):
        return m.group(1) + m.group(2).upper() + m.group(3)
    return word


class _State:
    """Where citeproc-js's title case is: before the first word, after ? ! or :, the last word."""

    def __init__(self) -> None:
        self.first = True
        self.after_punct = False
        self.last: tuple[int, int] | None = None


def title_case(text: str) -> str:
    """citeproc-js's title case: every word but the stop words capitalised, and the first word,
    the last and the first after ? ! or : always; a word with a capital already is left alone."""
    parts = _TAGS.split(text)
    strings, tags = parts[0::2], parts[1::2]
    for i in range(len(tags) - 1, -1, -1):  # a lone ' followed by text is an apostrophe, not a seam
        if tags[i] == "'" and strings[i + 1]:
            strings[i + 1] = "'" + strings[i + 1]
            tags[i] = ""
    state = _State()

    def words(s: str, index: int, following: str | None) -> str:
        if not s.strip():
            return s
        pieces = _SPACE.split(s)
        ws = pieces[0::2]
        for j, word in enumerate(ws):
            if not word:
                continue
            lower = word.lower()
            capitalise = (
                (len(word) > 1 and not _SKIP.search(lower))
                or (j == len(ws) - 1 and following == "-")
                or state.first
                or state.after_punct
            )
            if capitalise and word == lower:
                ws[j] = _capitalise(word)
            state.after_punct = False
            state.first = False
            state.last = (index, j)
        pieces[0::2] = ws
        return "".join(pieces)

    if strings and strings[0].strip():
        strings[0] = words(strings[0], 0, tags[0] if tags else None)
    originals = list(parts[0::2])
    for i in range(len(tags) - 1, -1, -1):
        if parts[2 * i + 1] == "'" and originals[i + 1]:
            originals[i + 1] = "'" + originals[i + 1]
    quote_state: list[dict[str, object]] = []

    def restore(pos: int) -> None:
        """An unmatched quote: the word after it keeps its first letter as written."""
        strings[pos + 1] = originals[pos + 1][:1] + strings[pos + 1][1:]

    for i, tag in enumerate(tags):
        if re.search(r"[!?:]$", tag):
            state.after_punct = True
        s = strings[i + 1]
        # citeproc-js passes its split object where the following tag belongs here, so the
        # "capitalise before a hyphen" rule never applies after the first run of words
        strings[i + 1] = words(s, i + 1, None)
        moved = _quote_fix(quote_state, tag, i)
        if moved is not None:
            restore(moved)
            state.last = None
        if state.first and s.strip():
            state.first = False
        if state.after_punct and s.strip():
            state.after_punct = False
    for q in quote_state:
        if isinstance(q.get("pos"), int):
            restore(q["pos"])  # type: ignore[arg-type]
    if state.last is not None:
        index, j = state.last
        pieces = _SPACE.split(strings[index])
        ws = pieces[0::2]
        if len(ws[j]) > 1 and _SKIP.search(ws[j].lower()):
            ws[j] = _capitalise(ws[j])
        pieces[0::2] = ws
        strings[index] = "".join(pieces)
    out = [strings[0]]
    for tag, s in zip(tags, strings[1:], strict=True):
        out += [tag, s]
    return "".join(out)


_QUOTE_PARAMS = {' "': (" '", '"'), " '": (' "', "'"), "\u2018": ("\u2018", "\u2019"), "\u201c": ("\u201c", "\u201d")}
_QUOTE_TAG = re.compile("(^(?:\u2018|\u2019|\u201c|\u201d|\"|')|(?: \"| ')$)")


def _quote_fix(quote_state: list[dict[str, object]], tag: str, pos: int) -> int | None:
    """citeproc-js's quote state (`quoteFix` in its text-case engine): the position of a quote
    whose opening did not match, or None."""
    m = _QUOTE_TAG.search(tag)
    if not m:
        return None
    tag = m.group(1)
    if tag in ("\u201c", "\u2018", ' "', " '"):
        opener, closer = _QUOTE_PARAMS[tag]
        if not quote_state or tag == quote_state[-1]["opener"]:
            quote_state.append({"opener": opener, "closer": closer, "pos": pos})
            return None
        previous = quote_state.pop().get("pos")
        quote_state.append({"opener": opener, "closer": closer})  # citeproc-js files its position under another key
        return previous if isinstance(previous, int) else None
    if quote_state and tag == quote_state[-1]["closer"]:
        quote_state.pop()
        return None
    return pos


_OPEN_CONTEXT = re.compile(r"(^|\s)$")


def quotes(text: str, level: int) -> str:
    """Quotes in a title as citeproc-js prints them at nesting `level` (0: “ ”, 1: ‘ ’, ...):
    straight quotes, double or single, and curly double quotes take the level's marks; curly single
    quotes stay single; an apostrophe is ’. A quote opens at the start or after a space."""
    marks = ("\u201c", "\u201d"), ("\u2018", "\u2019")
    out: list[str] = []
    stack: list[str] = []  # each open quote: '"', "'" (by level) or "‘" (kept single)

    def mark(kind: str, depth: int, closing: bool) -> str:
        return marks[1 if kind == "\u2018" else (level + depth) % 2][1 if closing else 0]

    for k, ch in enumerate(text):
        before, after = text[:k], text[k + 1 :]
        opens_here = bool(_OPEN_CONTEXT.search(before)) and bool(after[:1]) and not after[:1].isspace()
        if ch in '"\u201c\u201d':
            if ch == "\u201c" or (ch == '"' and opens_here) or not stack:
                stack.append('"')
                out.append(mark('"', len(stack) - 1, False))
            else:
                kind = stack.pop()
                out.append(mark(kind, len(stack), True))
            continue
        if ch in "'\u2018\u2019":
            if before[-1:].isalnum() and after[:1].isalnum():
                out.append("\u2019")  # an apostrophe
            elif ch == "\u2018" or (ch == "'" and opens_here):
                stack.append("\u2018" if ch == "\u2018" else "'")
                out.append(mark(stack[-1], len(stack) - 1, False))
            elif stack and stack[-1] in ("'", "\u2018") and not after[:1].isalnum():
                kind = stack.pop()
                out.append(mark(kind, len(stack), True))
            elif before[-1:].isalnum() or before[-1:] in ".,;:!?":
                out.append("\u2019")  # an apostrophe after a word ("soldiers' pay")
            else:
                out.append(ch)  # neither quote nor apostrophe: left as written
            continue
        out.append(ch)
    return "".join(out)


_CLOSERS = "\u201d\u2019"
# Marks a closing quote followed by punctuation inside a variable's own text: the locale's
# punctuation-in-quote moves only a style's punctuation into quotes (citeproc-js moves it at the
# seams of its output queue, CSL.Output.Queue.adjust), never the data's ("‘Tackling the
# Three Evils’. A Regional Response" stays as written).
PROTECT = "\ue002"


def protect(text: str) -> str:
    """`text` (a variable's value) with its own punctuation after closing quotes kept in place."""
    return re.sub(f"([{_CLOSERS}])(?=[.,])", "\\1" + PROTECT, text.replace(PROTECT, ""))


def punctuation(text: str) -> str:
    """The en-US locale's punctuation in quotes: a period or comma after a closing quote goes
    inside it; a ? or ! already there stands for the period; doubled periods are one."""
    text = re.sub(f"([{_CLOSERS}]+)([.,])", r"\2\1", text)
    # (csl_formatter's italic marks, U+E000 and U+E001, may stand between a title and the period)
    text = re.sub(r"([?!:])([" + _CLOSERS + r"\ue000\ue001]*)\.", r"\1\2", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    return text.replace(PROTECT, "")
