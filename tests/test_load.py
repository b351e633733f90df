from pathlib import Path

from generator.load import load_data


def write(tmp_path: Path, name: str, text: str) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / name).write_text(text, encoding="utf-8")
    return data


def test_items_remember_file_and_line_of_every_field(tmp_path):
    data = write(
        tmp_path,
        "x.yaml",
        "# comment\nmeetings:\n  - id: a\n    date: 2019-08-13\n    citations:\n      - source: s\n        locator: L\n",
    )
    loaded = load_data(data, tmp_path)
    [item] = loaded.items
    assert (item.file, item.line, item.key, item.index) == ("data/x.yaml", 3, "meetings", 0)
    assert item.line_of(("date",)) == 4
    assert item.line_of(("citations", 0, "locator")) == 7
    assert item.line_of(("citations", 0, "nonexistent")) == 6
    assert item.where(("citations", 0, "locator")) == "meetings[0].citations[0].locator"


def test_dates_stay_text_not_python_dates(tmp_path):
    data = write(tmp_path, "x.yaml", "meetings:\n  - {id: a, date: 2019-08-13, n: 3, ok: true}\n")
    [item] = load_data(data, tmp_path).items
    assert item.data == {"id": "a", "date": "2019-08-13", "n": 3, "ok": True}


def test_syntax_error_reports_file_and_line_and_loads_other_files(tmp_path):
    write(tmp_path, "a.yaml", "meetings:\n  - id: a\n   title: x\n")
    data = write(tmp_path, "b.yaml", "places:\n  - {id: p}\n")
    loaded = load_data(data, tmp_path)
    assert [(p.file, p.line, p.where) for p in loaded.problems] == [("data/a.yaml", 3, "yaml")]
    assert [i.key for i in loaded.items] == ["places"]


def test_duplicate_key_and_non_list_are_problems(tmp_path):
    data = write(tmp_path, "a.yaml", "meetings:\n  - id: a\n    id: b\nplaces: {id: x}\n")
    loaded = load_data(data, tmp_path)
    assert [str(p).split(" (")[0] for p in loaded.problems] == [
        "data/a.yaml:3: meetings[0].id: duplicate key",
        "data/a.yaml:4: places: expected a list of items",
    ]


def test_files_are_read_in_sorted_order_recursively(tmp_path):
    write(tmp_path, "b.yaml", "places:\n  - {id: b}\n")
    (tmp_path / "data" / "sub").mkdir()
    (tmp_path / "data" / "sub" / "a.yaml").write_text("places:\n  - {id: c}\n")
    data = write(tmp_path, "a.yaml", "places:\n  - {id: a}\n")
    assert [i.data["id"] for i in load_data(data, tmp_path).items] == ["a", "b", "c"]
