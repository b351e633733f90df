"""citeproc-py, corrected where it differs from the CSL specification and from citeproc-js.

Substitution: "Substituted variables are suppressed in the rest of the output to prevent
duplication" (CSL 1.0.2, cs:substitute). citeproc-py suppresses only a variable named on the
substitute's own child, so a style that substitutes through a macro (APA's and MLA's title,
Chicago's container title) printed an entry without an author with its title twice. Here every
variable that rendered text inside the substitution is suppressed, as citeproc-js does.

Labels: "cs:label ... is only rendered if the selected variable is non-empty" (cs:label).
citeproc-py printed the term anyway (Chicago's newspaper article ended in "Edition." with no
edition).

`apply()` patches citeproc-py once; generator/cite.py calls it before any rendering.
"""

from __future__ import annotations

from typing import Any

from citeproc import model

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


_applied = False


def apply() -> None:
    global _applied
    if not _applied:
        model.Text._variable = _text_variable(model.Text._variable)
        model.Substitute.render = _substitute_render
        model.Label.process = _label_process(model.Label.process)
        _applied = True
