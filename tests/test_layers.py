"""The shape of generator/: layers that import only downwards, no import circle, one module per
page type in the registry, and modules and classes small enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

from generator import pages

GENERATOR = Path(__file__).resolve().parent.parent / "generator"

# Lowest first. A module may import its own layer and the layers below, never one above.
LAYERS: list[tuple[str, set[str]]] = [
    (
        "data",
        {
            "errors",
            "dates",
            "text",
            "palette",
            "fieldtypes",
            "entities",
            "schema",
            "fielddocs",
            "json_schema",
            "fieldref",
            "cmsconfig",
            "config",
            "rawhtml",
            "readers",
            "releasing",
            "guard",
            "quotes",
            "yamlevents",
            "load",
            "prose",
            "essays",
            "model",
            "messages",
            "refs",
            "validate",
            "fidelity",
            "ledger",
            "prosecheck",
            "bibliography",
            "csl_formatter",
            "titlecase",
            "citeproc_fix",
            "cite",
            "source_cite",
            "editions",
            "editorschema",
        },
    ),
    ("core", {"core", "write", "parallel"}),
    ("widgets", {"maps", "maplegend", "svgmaps", "charts", "downloads"}),
    ("pages", {"pages"}),
    (
        "app",
        {
            "build",
            "preview",
            "previewpages",
            "previewserver",
            "newitem",
            "yamlappend",
            "cmsapi",
            "csvimport",
            "cli",
            "zensical_links",
            "__main__",
            "__init__",
        },
    ),
]


def _modules() -> dict[str, Path]:
    return {
        p.relative_to(GENERATOR).with_suffix("").as_posix().replace("/", "."): p
        for p in GENERATOR.rglob("*.py")
        if "__pycache__" not in p.parts
    }


def _imports(path: Path) -> set[str]:
    """Every generator module `path` imports, at any depth (TYPE_CHECKING imports count too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            base = node.module.removeprefix("generator").lstrip(".")
            for alias in node.names:
                out.add(f"{base}.{alias.name}".lstrip(".") if base in ("", "core", "pages") else base)
        elif isinstance(node, ast.Import):
            out |= {a.name.removeprefix("generator.") for a in node.names if a.name.startswith("generator.")}
    known = set(_modules())
    return {m if m in known else m.rsplit(".", 1)[0] for m in out if m in known or m.rsplit(".", 1)[0] in known}


def _layer(module: str) -> int:
    top = module.split(".")[0]
    for n, (_, members) in enumerate(LAYERS):
        if top in members or module in members:
            return n
    raise AssertionError(f"generator/{module}.py is in no layer of tests/test_layers.py: add it to one")


def test_every_module_imports_only_its_own_layer_and_below():
    wrong = []
    for module, path in _modules().items():
        for target in _imports(path):
            if _layer(target) > _layer(module):
                wrong.append(f"{module} ({LAYERS[_layer(module)][0]}) imports {target} ({LAYERS[_layer(target)][0]})")
    assert wrong == []


def test_no_page_type_imports_another_and_the_core_imports_no_page():
    for module, path in _modules().items():
        targets = _imports(path)
        if module.startswith("pages.") and module != "pages.__init__":  # the registry lists them all
            assert not {t for t in targets if t.startswith("pages.")}, module
        if module.startswith("core"):
            assert not {t for t in targets if t.startswith("pages") or t in ("maps", "charts", "svgmaps")}, module


def test_there_is_no_import_circle():
    graph = {m: _imports(p) - {m} for m, p in _modules().items()}
    state: dict[str, int] = {}

    def visit(m: str, trail: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph.get(m, ())):
            if state.get(t) == 1:
                raise AssertionError("import circle: " + " -> ".join([*trail[trail.index(t) :], m, t]))
            if not state.get(t):
                visit(t, [*trail, m])
        state[m] = 2

    for m in sorted(graph):
        if not state.get(m):
            visit(m, [])


def test_every_page_type_module_is_in_the_registry_once():
    modules = {p.stem for p in (GENERATOR / "pages").glob("*.py") if p.stem != "__init__"}
    registered = [m.__name__.rsplit(".", 1)[-1] for m in pages.REGISTRY]  # type: ignore[attr-defined]
    assert sorted(registered) == sorted(modules)
    assert len(set(registered)) == len(registered)


def test_modules_and_classes_stay_small():
    for module, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        assert text.count("\n") < 450, f"generator/{module}.py has {text.count(chr(10))} lines: split it"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= 300, f"class {node.name} in generator/{module}.py has {length} lines"


def test_the_layer_test_sees_a_wrong_import(tmp_path: Path):
    """The checker itself: a core module importing a page is caught."""
    path = tmp_path / "x.py"
    path.write_text("from generator.pages import record\nfrom generator.core.site import Site\n", encoding="utf-8")
    assert _imports(path) == {"pages.record", "core.site"}
    assert _layer("pages.record") > _layer("core.site")
