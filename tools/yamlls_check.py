"""Open the data files in yaml-language-server, the checker behind VS Code's YAML extension, Neovim,
Helix, Zed and the others, and report what an editor would show.

    npm ci --prefix tools/yamlls          # once: yaml-language-server, pinned in its lock file
    .venv/bin/python tools/yamlls_check.py            # every YAML file under data/ and editions/
    .venv/bin/python tools/yamlls_check.py --corpus   # and the bad-input corpus

Each file is opened as an editor would open it, with no settings: the server finds the schema by
the file's first line alone. Every real file must show nothing. With `--corpus`, each case of
tests/test_schema_corpus.py that the loader reads is written under a scratch copy of schema/ with
its schema line, and the server must flag exactly the cases the generator rejects for a reason a
schema can state; the messages it shows are printed. Exit status 1 on any difference.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "tools/yamlls/node_modules/yaml-language-server/bin/yaml-language-server"
SETTINGS = {"yaml": {"validate": True, "schemaStore": {"enable": False}, "schemas": {}}}


class Server:
    """A yaml-language-server over stdio: open files, collect the diagnostics it publishes."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            ["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        caps = {"workspace": {"configuration": True}}
        params = {"processId": None, "rootUri": root.as_uri(), "capabilities": caps}
        self._send({"id": 1, "method": "initialize", "params": params})
        self._pump(lambda m: m.get("id") == 1)
        self._send({"method": "initialized", "params": {}})
        self._send({"method": "workspace/didChangeConfiguration", "params": {"settings": SETTINGS}})

    def _send(self, msg: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **msg}).encode()
        stdin: IO[bytes] = self.proc.stdin  # type: ignore[assignment]
        stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        stdin.flush()

    def _recv(self) -> dict[str, Any]:
        stdout: IO[bytes] = self.proc.stdout  # type: ignore[assignment]
        length = 0
        while line := stdout.readline().decode().strip():
            key, _, value = line.partition(":")
            if key.lower() == "content-length":
                length = int(value)
        if not length:
            raise EOFError("yaml-language-server stopped")
        return dict(json.loads(stdout.read(length)))

    def _pump(self, until: Any) -> None:
        while True:
            msg = self._recv()
            if "method" in msg and "id" in msg:  # the server asks for the settings
                items = msg["params"].get("items", []) if msg["method"] == "workspace/configuration" else []
                self._send({"id": msg["id"], "result": [SETTINGS["yaml"] for _ in items] or None})
                continue
            if msg.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics[msg["params"]["uri"]] = msg["params"]["diagnostics"]
            if until(msg):
                return

    def check(self, files: list[Path]) -> dict[Path, list[tuple[int, str]]]:
        for path in files:
            doc = {"uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}
            self._send({"method": "textDocument/didOpen", "params": {"textDocument": doc}})
        deadline = time.monotonic() + 60
        while len(self.diagnostics) < len(files) and time.monotonic() < deadline:
            self._pump(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        return {
            p: [(d["range"]["start"]["line"] + 1, d["message"]) for d in self.diagnostics.get(p.as_uri(), [])]
            for p in files
        }

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def real_files() -> int:
    from generator.editorschema import yaml_files

    files = [ROOT / rel for rel in yaml_files(ROOT)]
    server = Server(ROOT)
    try:
        found = server.check(files)
    finally:
        server.close()
    shown = {p: d for p, d in found.items() if d}
    for path, diags in shown.items():
        for line, message in diags:
            print(f"{path.relative_to(ROOT)}:{line}: {message}")
    print(f"{len(files)} data and editions files: {len(shown)} with something to show")
    return 1 if shown else 0


def corpus() -> int:
    from generator.editorschema import modeline, schema_of
    from tests import test_schema_corpus as corpus_test

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        (scratch / "schema").mkdir()
        for schema in (ROOT / "schema").glob("*.json"):
            (scratch / "schema" / schema.name).write_bytes(schema.read_bytes())
        cases: dict[Path, tuple[str, bool]] = {}
        for i, (v, (_, rel, data)) in enumerate(zip(corpus_test.verdicts(), corpus_test.corpus(), strict=True)):
            if v.loader:
                continue
            folder, name = rel.rsplit("/", 1)
            at = f"{folder}/case-{i}-{name}"  # the same folder: the same relative path to schema/
            path = scratch / at
            path.parent.mkdir(parents=True, exist_ok=True)
            text = data.decode("utf-8").removeprefix("\ufeff")
            path.write_text(f"{modeline(at, str(schema_of(rel)))}\n{text}", encoding="utf-8")
            cases[path] = (v.case, bool(v.expressible()))
        server = Server(scratch)
        try:
            found = server.check(list(cases))
        finally:
            server.close()
    differ = 0
    for path, (case, rejected) in cases.items():
        diags = found[path]
        agree = bool(diags) == rejected
        differ += not agree
        head = "" if agree else "DIFFERS "
        print(
            f"{head}{case}: generator {'rejects' if rejected else 'accepts'}; editor: {diags[0][1] if diags else '-'}"
        )
    print(f"{len(cases)} corpus files: the editor and the generator agree on {len(cases) - differ}")
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if not SERVER.exists():
        print("run `npm ci --prefix tools/yamlls` first", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))  # this checkout's generator and tests
    status = real_files()
    if "--corpus" in argv:
        status |= corpus()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
