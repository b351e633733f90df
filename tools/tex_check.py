"""Compile the atlas's BibTeX with LaTeX: `python -m tools.tex_check [docs]` (`make tex-check`).

Cites every entry of the generated docs/downloads/sources.bib and the BibTeX of 50 pages (taken
from the generated pages' cite blocks, the access date filled in as the reader's browser does),
in one document built twice:

- natbib: pdflatex, bibtex with `plainnat`, pdflatex twice;
- biblatex: pdflatex, biber with `style=authoryear`, pdflatex twice;

each with `\\usepackage[T2A,T1]{fontenc}`, babel english and russian (the entries' `langid`)
and Cyrillic letters defaulting to T2A (`cyrillic`).
Prints every error (LaTeX `!` lines, BibTeX and biber errors) and the warnings' count, checks that
no two natbib labels are the same, and exits non-zero on any error. Needs TeX Live (Debian:
texlive-latex-extra texlive-bibtex-extra biber texlive-lang-cyrillic lmodern); CI does not
install it (its time budget), so this is run by hand after citation changes.
"""

from __future__ import annotations

import datetime
import html
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

PAGES = 50
_BIBTEX = re.compile(r'<pre class="atlas-cite-code" data-format="bibtex">(.*?)</pre>', re.S)
_TAG = re.compile(r"<[^>]+>")
_KEY = re.compile(r"^@\w+\{([^,]+),", re.M)

PREAMBLE = r"""\documentclass{article}
\usepackage[T2A,T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[russian,english]{babel}
\usepackage{lmodern}
\usepackage{url}
"""
NATBIB = (
    PREAMBLE
    + r"""%(cyrillic)s
\usepackage[round]{natbib}
\begin{document}
%(cites)s
\bibliographystyle{plainnat}
\bibliography{refs}
\end{document}
"""
)
BIBLATEX = (
    PREAMBLE
    + r"""%(cyrillic)s
\usepackage{csquotes}
\usepackage[style=authoryear,backend=biber,autolang=other]{biblatex}
\addbibresource{refs.bib}
\begin{document}
%(cites)s
\printbibliography
\end{document}
"""
)


def page_entries(docs: Path, count: int = PAGES) -> list[str]:
    """BibTeX of `count` generated pages, spread over the page types (every n-th page)."""
    found = []
    for path in sorted(docs.glob("atlas/**/*.md")):
        sections = path.read_text(encoding="utf-8").split('<section class="atlas-cite" id="')
        for section in sections[1:]:
            if section.startswith('cite"'):  # the page's own block, not "cite this source" (sources.bib has it)
                found += [html.unescape(_TAG.sub("", block)) for block in _BIBTEX.findall(section)]
    step = max(1, len(found) // count)
    today = datetime.date.today().isoformat()
    return [entry.replace("[date accessed]", today) for entry in found[::step][:count]]


def cyrillic() -> str:
    """Cyrillic letters set in T2A wherever they stand. A BibTeX style does not switch languages,
    and biblatex switches by `langid` inside the bibliography only (autolang=other), not in a
    citation's label; so Russian names or titles in an English text are in T1, which has no
    Cyrillic. A pdflatex document citing them needs these lines (or XeLaTeX/LuaLaTeX)."""
    found = _run(["kpsewhich", "t2aenc.def"], Path.cwd()).strip()
    names = sorted(
        set(re.findall(r"\\DeclareTextSymbol\{(\\[Cc][Yy][Rr]\w+)\}", Path(found).read_text(encoding="latin-1")))
    )
    return "\n".join(f"\\DeclareTextSymbolDefault{{{n}}}{{T2A}}" for n in names)


def _run(cmd: list[str], cwd: Path) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=600)
    return result.stdout + result.stderr


def _latex_errors(log: str) -> list[str]:
    lines = log.splitlines()
    return [" ".join(lines[i : i + 2]) for i, line in enumerate(lines) if line.startswith("!")]


def compile_with(name: str, template: str, bib: str, keys: list[str], tool: list[str]) -> tuple[list[str], int, str]:
    """Errors, warnings and the .bbl of one build (pdflatex, the bibliography tool, pdflatex x2)."""
    with tempfile.TemporaryDirectory(prefix=f"tex-check-{name}-") as tmp:
        folder = Path(tmp)
        (folder / "refs.bib").write_text(bib, encoding="utf-8")
        cite = r"\citet" if name == "natbib" else r"\textcite"
        cites = "\n".join(f"{cite}{{{k}}}." for k in keys)
        (folder / "doc.tex").write_text(template % {"cites": cites, "cyrillic": cyrillic()}, encoding="utf-8")
        latex = ["pdflatex", "-interaction=nonstopmode", "doc.tex"]
        errors: list[str] = []
        _run(latex, folder)
        out = _run([*tool, "doc"], folder)
        if name == "natbib":
            errors += [f"bibtex: {ln}" for ln in out.splitlines() if "---" in ln or ln.startswith("I was expecting")]
            errors += [
                f"bibtex: {ln}" for ln in out.splitlines() if re.match(r"(I'm skipping|Illegal|You're missing)", ln)
            ]
            warnings = len(re.findall(r"^Warning--", out, re.M))
        else:
            errors += [f"biber: {ln}" for ln in out.splitlines() if " ERROR - " in ln]
            warnings = len(re.findall(r" WARN - ", out))
        for _ in range(2):
            _run(latex, folder)
        log = (folder / "doc.log").read_text(encoding="utf-8", errors="replace")
        errors += [f"pdflatex: {e}" for e in _latex_errors(log)]
        if not (folder / "doc.pdf").exists():
            errors.append("pdflatex: no PDF")
        bbl = (
            (folder / "doc.bbl").read_text(encoding="utf-8", errors="replace") if (folder / "doc.bbl").exists() else ""
        )
        return errors, warnings, bbl


def natbib_labels(bbl: str) -> list[str]:
    """plainnat's labels, `\\bibitem[Author(Year)]{key}`, as natbib prints them."""
    return re.findall(r"\\bibitem\[((?:[^\[\]]|\{[^{}]*\})*)\]", bbl)


def main() -> int:
    docs = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    sources = (docs / "downloads" / "sources.bib").read_text(encoding="utf-8")
    pages = page_entries(docs)
    bib = sources + "\n" + "\n".join(pages)
    keys = _KEY.findall(bib)
    duplicate_keys = [k for k, n in Counter(keys).items() if n > 1]
    print(f"{len(keys)} entries: {len(_KEY.findall(sources))} sources, {len(pages)} pages")
    failed = bool(duplicate_keys)
    for key in duplicate_keys:
        print(f"  duplicate key: {key}")
    for name, template, tool in (
        ("natbib", NATBIB, ["bibtex"]),
        ("biblatex", BIBLATEX, ["biber"]),
    ):
        errors, warnings, bbl = compile_with(name, template, bib, keys, tool)
        print(f"{name}: {len(errors)} errors, {warnings} warnings")
        for e in errors:
            print(f"  {e}")
        failed |= bool(errors)
        if name == "natbib":
            labels = natbib_labels(bbl)
            repeated = [label for label, n in Counter(labels).items() if n > 1]
            # plainnat's extra labels run a..z, then go on past z into `{`, which breaks the label
            broken = [label for label in labels if re.search(r"\\natexlab\{(?![a-z]\})", label)]
            print(f"natbib: {len(labels)} labels, {len(repeated)} repeated, {len(broken)} broken by the extra label")
            for label in repeated + broken:
                print(f"  label: {label}")
            failed |= bool(repeated or broken) or len(labels) != len(keys)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
