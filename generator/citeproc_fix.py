"""citeproc-py, corrected where it differs from the CSL specification and from citeproc-js.

Substitution: "Substituted variables are suppressed in the rest of the output to prevent
duplication" (CSL 1.0.2, cs:substitute). citeproc-py suppresses only a variable named on the
substitute's own child, so a style that substitutes through a macro (APA's and MLA's title,
Chicago's container title) printed an entry without an author with its title twice. Here every
variable that rendered text inside the substitution is suppressed, as citeproc-js does.

Labels: "cs:label ... is only rendered if the selected variable is non-empty" (cs:label).
citeproc-py printed the term anyway (Chicago's newspaper article ended in "Edition." with no
edition).

Title case, quotes, names and page ranges: see the sections below, each with the citeproc-js code
that defines what it does (citeproc-js 2.4.63, tools/citeproc_js/).

`apply()` patches citeproc-py once; generator/cite.py calls it before any rendering (and gives
the item to `parse_particles` first).
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model
from citeproc.string import MixedString, NoCase, String

from generator import titlecase

_recording: list[list[tuple[str, str]]] = []  # the variables rendered inside each substitution being rendered


def _text_variable(original: Any) -> Any:
    def _variable(self: model.Text, item: Any, context: Any) -> Any:
        text = original(self, item, context)
        if text and _recording:
            _recording[-1].append((self.tag, self.get("variable")))
        return text

    return _variable


def _substitute_render(self: model.Substitute, item: Any, context: Any = None, **kwargs: Any) -> Any:
    for child in self.getchildren():
        _recording.append([])
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except model.VariableError:
            _recording.pop()
            continue
        rendered = _recording.pop()
        if text:
            self.add_to_repressed_list(child, context)
            layout = context.get_layout()
            for tag, variable in rendered:
                layout.repressed.setdefault(tag, []).append(variable)
            return text
    return None


def _label_process(original: Any) -> Any:
    def process(self: model.Label, item: Any, variable: str | None = None, *args: Any, **kwargs: Any) -> Any:
        name = variable or self.get("variable")
        if name and name != "locator":
            try:
                if not item.reference[name.replace("-", "_")]:
                    return None
            except model.VariableError:
                return None
        return original(self, item, variable, *args, **kwargs)

    return process


# -- Title case and quotes in every variable, as citeproc-js prints them ------------------------
#
# citeproc-js title-cases any `text-case="title"` text with its own algorithm (CSL.Output.Formatters
# .title; a term such as APA's "eds." label too, whatever the item's language; a variable only when
# the item is in English: getTextSubField, `primary_locale !== "en"` -> "passthrough"), and runs every
# string it outputs through its flip-flopper (CSL.Util.FlipFlopper.processTags, `_apostropheForce`):
# quotes take the marks of their nesting level, an apostrophe becomes ’. citeproc-py capitalises
# only words with no capital ("24.kg", where citeproc-js splits at the period: "24.Kg"), skips a
# label's case, and leaves quotes and apostrophes as written. generator/cite.py treats a page's
# title the same way itself (its stand-in); these patches do it for every other variable.

_NOT_QUOTED = {"URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID"}


def _plain(text: Any) -> str | None:
    """The text when it is plain (no <span class="nocase"> in it), else None."""
    if isinstance(text, MixedString):
        return str(text) if all(_plain(part) is not None for part in text) else None
    return None if isinstance(text, NoCase) or not isinstance(text, str) else str(text)


def _case(original: Any) -> Any:
    def case(self: Any, text: Any, language: str | None = None) -> Any:
        plain = _plain(text)
        if self.get("text-case") != "title" or plain is None:
            return original(self, text, language)
        if language not in (None, "en"):
            return text
        return String(titlecase.title_case(plain))

    return case


def _text_markup(self: model.Text, text: Any, language: str | None) -> Any:
    if not text:
        return None
    cased = self.case(self.strip_periods(text), language)
    variable = self.get("variable")
    plain = _plain(cased)
    if variable and variable not in _NOT_QUOTED and plain is not None:
        level = 1 if self.get("quotes", "false").lower() == "true" else 0
        cased = String(titlecase.protect(titlecase.quotes(plain, level)))
    return self.wrap(self.quote(self.format(cased)))


# -- Names --------------------------------------------------------------------------------------
#
# initialize="false" (Chicago's and MLA's names): "only names that are already initials are
# formatted with initialize-with; full given names stay" (CSL 1.0.2, Name options; citeproc-js
# CSL.NameOutput.prototype._givenName passes `!initializeIsTurnedOn` to CSL.Util.Names.initializeWith,
# which then only normalizes, CSL.Util.Names.doNormalize). citeproc-py initializes every given name.


def _initialize(original: Any) -> Any:
    def initialize(self: model.Name, given: str, mark: str, context: Any) -> str:
        if _option(self, "initialize", "true") != "false":
            return str(original(self, given, mark, context))
        words = re.sub(r"\.(?=\S)", ". ", given).split()
        out = ""
        for n, word in enumerate(words):
            initial = re.fullmatch(r"([^\W\d_])\.?", word) is not None and word[0].isupper()
            out += word.rstrip(".") + mark if initial else word
            following = words[n + 1] if n + 1 < len(words) else ""
            if following and not (initial and re.fullmatch(r"[^\W\d_]\.?", following)):
                out = out.rstrip() + " "
        return re.sub(r"\s+", " ", out).strip()

    return initialize


def _name_process(original: Any) -> Any:
    def process(self: model.Name, *args: Any, **kwargs: Any) -> Any:
        text = original(self, *args, **kwargs)
        return text.replace(_GLUE + " ", "").replace(_GLUE, "") if isinstance(text, str | MixedString) else text

    return process


def _option(element: Any, name: str, default: str) -> str:
    for node in [element, *element.iterancestors()]:
        if node.get(name) is not None:
            return str(node.get(name))
    return default


def _names_process(original: Any) -> Any:
    """A variable printed in a substitution is suppressed in the rest of the entry, names too
    (CSL 1.0.2, cs:substitute; citeproc-js CSL.Node.substitute): MLA named the editors of an entry
    without an author first and then again as "edited by"."""

    def process(self: model.Names, item: Any, *args: Any, context: Any = None, **kwargs: Any) -> Any:
        layout = (context if context is not None else self).get_layout()
        repressed = {v for entry in layout.repressed.get(self.tag, []) for v in (entry or "").split()}
        roles = self.get("variable", "").split()
        kept = [r for r in roles if r not in repressed]
        if kept == roles:
            return original(self, item, *args, context=context, **kwargs)
        if not kept:
            return None
        self.set("variable", " ".join(kept))
        try:
            return original(self, item, *args, context=context, **kwargs)
        finally:
            self.set("variable", " ".join(roles))

    return process


_GLUE = "\ue003"  # joins a particle to what follows it (citeproc-py puts a space between them)
_FAMILY_PARTICLE = re.compile(r"^([^ ]+(?:-|\u02bb|\u2019| |') *)(.+)$")


def parse_particles(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its persons' particles split off as citeproc-js does before rendering
    (CSL.parseParticles): leading lower-case words of a family name are its non-dropping particle
    ("van der Kley": "van der" + "Kley"; Chicago demotes it: "Kley, Dirk van der"), trailing
    lower-case words of a given name its dropping particle. citeproc-py reads the fields as given.
    Apostrophes in names are ’, as citeproc-js's flip-flopper prints every string ("O’Brien")."""
    out = dict(item)
    for role, names in item.items():
        if isinstance(names, list) and any(isinstance(n, dict) for n in names):
            out[role] = [_particles(n) if isinstance(n, dict) else n for n in names]
    return out


def _particles(name: dict[str, Any]) -> dict[str, Any]:
    name = {k: titlecase.quotes(v, 0) if isinstance(v, str) else v for k, v in name.items()}  # O’Brien
    if "family" not in name:
        return name
    family, particle = str(name["family"]), ""
    while m := _FAMILY_PARTICLE.match(family):
        first = re.sub(r"^[-'\u02bb\u2019\s]*", "", m.group(1))[:1]
        if not first or first.upper() == first:
            break
        particle, family = particle + m.group(1), m.group(2)
    if particle and "non-dropping-particle" not in name:
        # a particle ending in a hyphen or an apostrophe is written on to the name: "al-Rashid"
        glue = _GLUE if particle[-1] in "-'\u02bb\u2019" else ""
        name["family"], name["non-dropping-particle"] = family, particle.strip() + glue
    given = str(name.get("given", "")).split(" ")
    dropped: list[str] = []
    while len(given) > 1 and given[-1][:1] and given[-1][:1].upper() != given[-1][:1]:
        dropped.insert(0, given.pop())
    if dropped and "dropping-particle" not in name:
        name["given"], name["dropping-particle"] = " ".join(given), " ".join(dropped)
    return name


# -- Page ranges --------------------------------------------------------------------------------
#
# citeproc-js (CSL.Util.PageRangeMangler): a last page written short is expanded first ("457-82"
# is 457-482); "minimal" and "minimal-two" drop the digits shared with the first page only when
# both have as many digits (citeproc-py compared "1" with "16" and printed MLA's "1–6"); chicago-16
# keeps the last page's digits up to the first power of ten the two share.


_PAGE = re.compile(r"([0-9]*[a-zA-Z]+0*)?([0-9]+)")


def _last_page(self: Any, first: str, last: str) -> str:
    begin, end = _PAGE.fullmatch(first), _PAGE.fullmatch(last)
    if not (begin and end) or (end.group(1) and end.group(1) != begin.group(1)):
        return last
    prefix, first, last = begin.group(1) or "", begin.group(2), end.group(2)
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    if int(first) >= int(last):
        return (end.group(1) or "") + last
    form = self.get_root().get_option("page-range-format")
    if form in ("minimal", "minimal-two"):  # the last page's prefix ("S12–15") goes in all but expanded
        keep = 2 if form == "minimal-two" else 0
        if len(first) == len(last) and len(last) > keep:
            shared = next((n for n, (a, b) in enumerate(zip(first, last, strict=True)) if a != b), len(first))
            return last[min(shared, len(last) - keep) :]
        return last
    start, stop = int(first), int(last)
    if form in ("chicago", "chicago-15"):
        if start > 100 and start % 100 and start // 100 == stop // 100:
            return str(stop % 100)
        return str(stop % 1000) if start >= 10000 else last
    if form == "chicago-16":
        if start > 100 and start % 100:
            for power in range(2, len(last)):
                if start // 10**power == stop // 10**power:
                    return str(stop % 10**power)
        return last
    return prefix + last


_applied = False


def apply() -> None:
    global _applied
    if not _applied:
        model.Text._variable = _text_variable(model.Text._variable)
        model.Substitute.render = _substitute_render
        model.Label.process = _label_process(model.Label.process)
        model.TextCased.case = _case(model.TextCased.case)
        model.Text.markup = _text_markup
        model.Name.initialize = _initialize(model.Name.initialize)
        model.Name.process = _name_process(model.Name.process)
        model.Names.process = _names_process(model.Names.process)
        model.FormatNumber._format_last_page = _last_page
        _applied = True
