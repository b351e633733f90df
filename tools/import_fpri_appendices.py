"""One-off importer: FPRI report (seed 003) Appendices 1, 4 and 5 -> YAML records.

It was run once to create ``data/records/meetings-*.yaml``, ``trainings-fpri.yaml`` and
``transfers-fpri.yaml``. From then on the YAML files are the source of truth and are edited by
hand; do not re-run this over edited files (it refuses to overwrite them).

    python tools/import_fpri_appendices.py ../shared/seeds/003_*.txt data/records
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
TYPO_MONTHS = {"feburary": "february", "janurary": "january"}
COUNTRY = {
    "KYRGYZSTAN": "KG",
    "KAZAKHSTAN": "KZ",
    "UZBEKISTAN": "UZ",
    "TAJIKISTAN": "TJ",
    "TURKMENISTAN": "TM",
}
ADJ = {"KG": "Kyrgyz", "KZ": "Kazakh", "UZ": "Uzbek", "TJ": "Tajik", "TM": "Turkmen"}
NAME = {"KG": "Kyrgyzstan", "KZ": "Kazakhstan", "UZ": "Uzbekistan", "TJ": "Tajikistan", "TM": "Turkmenistan"}
CITE = {"source": "yau-2022-fpri"}

# Source wording (lower case, stripped) -> controlled security topics.
TOPIC_RULES: list[tuple[str, list[str]]] = [
    ("three evils", ["three-evils"]),
    ("reginal security", ["regional-security"]),
    ("regional security", ["regional-security"]),
    ("security cooperation", ["regional-security"]),
    ("transnational crime", ["transnational-crime"]),
    ("fight against crime", ["transnational-crime"]),
    ("search for wanted", ["law-enforcement"]),
    ("anti-terrorism center", ["terrorism", "sco-rats"]),
    ("rats", ["sco-rats"]),
    ("terroris", ["terrorism"]),
    ("extremis", ["extremism"]),
    ("seperatis", ["separatism"]),
    ("separatis", ["separatism"]),
    ("east turkestan", ["east-turkestan"]),
    ("weapon", ["weapons-trafficking"]),
    ("human trafficking", ["human-trafficking"]),
    ("drug", ["drug-trafficking"]),
    ("cyber", ["cyber-security"]),
    ("information security", ["cyber-security"]),
    ("informational security", ["cyber-security"]),
    ("law enforcement", ["law-enforcement"]),
    ("joint investigation", ["law-enforcement"]),
    ("legal cooperation", ["legal-cooperation"]),
    ("border", ["border-security"]),
    ("military", ["military-cooperation"]),
    ("defense", ["military-cooperation"]),
    ("joint exercises", ["military-cooperation"]),
    ("equipment exchange", ["military-cooperation"]),
    ("training", ["training"]),
    ("education", ["training"]),
    ("intelligence", ["intelligence-sharing"]),
    ("information exchange", ["intelligence-sharing"]),
    ("information sharing", ["intelligence-sharing"]),
    ("experience exchange", ["intelligence-sharing"]),
    ("afghanistan", ["afghanistan"]),
    ("internal conflict", ["internal-stability"]),
    ("stability in", ["internal-stability"]),
    ("chinese nationals", ["chinese-nationals"]),
    ("investment", ["chinese-nationals"]),
    ("anti-china", ["anti-china-sentiment"]),
    ("pipeline", ["pipeline-security"]),
    ("departmental ties", ["law-enforcement"]),
    ("security affairs discussed", []),
]


def parse_date(text: str) -> tuple[str, str | None]:
    words = text.strip().split()
    month = words[0].lower()
    fixed = TYPO_MONTHS.get(month, month)
    iso = f"{int(words[1]):04d}-{MONTHS[fixed]:02d}"
    return iso, (text.strip() if fixed != month else None)


def topics_for(affairs: str) -> list[str]:
    found: list[str] = []
    low = affairs.lower()
    for key, ids in TOPIC_RULES:
        if key in low:
            found.extend(i for i in ids if i not in found)
    return found


def clean(cell: str) -> str:
    return re.sub(r"</?b>", "", cell).replace("\\$", "$").strip()


def section(lines: list[str], start: str, end: str) -> list[list[str]]:
    i = next(n for n, line in enumerate(lines) if line.startswith(start))
    j = next(n for n, line in enumerate(lines) if line.startswith(end) and n > i)
    return [[clean(c) for c in line.split("\t")] for line in lines[i + 1 : j] if "\t" in line]


def _id(prefix: str, cc: str, date: str, seen: Counter[str]) -> str:
    base = f"{prefix}-{cc.lower()}-{date}"
    seen[base] += 1
    return f"{base}-{seen[base]:02d}"


def meetings(rows: list[list[str]]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    seen: Counter[str] = Counter()
    cc = ""
    for row in rows:
        if row[0].upper() in COUNTRY:
            cc = COUNTRY[row[0].upper()]
            continue
        ca, cn, date_text, affairs = row
        date, as_given = parse_date(date_text)
        rec: dict[str, object] = {
            "id": _id("mtg", cc, date, seen),
            "title": f"{ADJ[cc]} {ca} and Chinese {cn} meet",
            "date": date,
        }
        if as_given:
            rec["date_as_given"] = as_given
            rec["notes"] = "Month spelling corrected from the source."
        rec.update(
            {
                "countries": [cc],
                "ca_official": ca,
                "cn_official": cn,
                "affairs_as_given": affairs or None,
                "security_topics": topics_for(affairs),
                "citations": [{**CITE, "locator": "Appendix 1"}],
            }
        )
        if not affairs:
            rec["affairs_as_given"] = None
            rec["notes"] = "The source lists no security affairs for this meeting."
        out.setdefault(cc, []).append({k: v for k, v in rec.items() if v is not None})
    return out


TRAINING_TYPES = {"Education": "Education", "Field Visit": "Field visit", "Joint Operation": "Joint operation"}


def trainings(rows: list[list[str]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    seen: Counter[str] = Counter()
    cc = ""
    for row in rows:
        head = row[0].upper().split("-")[0]
        if head in COUNTRY and row[1].upper() == "TYPE":
            cc = COUNTRY[head]
            continue
        if row[0].startswith("No public information"):
            continue
        text, kind, date_text = row
        date, as_given = parse_date(date_text)
        rec: dict[str, object] = {
            "id": _id("trn", cc, date, seen),
            "title": _training_title(text, cc),
            "date": date,
            "countries": [cc],
            "training_type": TRAINING_TYPES[kind],
            "description_as_given": text,
            "citations": [{**CITE, "locator": "Appendix 4"}],
        }
        if as_given:
            rec["date_as_given"] = as_given
        if kind == "Joint Operation":
            rec["topics"] = ["law-enforcement"]
        out.append(rec)
    return out


def _training_title(text: str, cc: str) -> str:
    title = (
        text.replace("PRC MPS", "Chinese Ministry of Public Security")
        .replace(" MIA", " Ministry of Internal Affairs")
        .replace("PRC ", "Chinese ")
    )
    if text == "Joint patrol along the border":
        title = f"Joint China-{NAME[cc]} border patrol"
    return title[0].upper() + title[1:]


VALUE = re.compile(r"(\$)?\s*([\d.,]+)\s*(k|m)?\b\s*(RMB|USD)?", re.IGNORECASE)
TRANSFER_TYPES = {
    "equipment": "equipment",
    "covid aid": "covid-aid",
    "aid": "aid",
    "grant": "grant",
    "purchase": "purchase",
    "donation": "donation",
    "police equipment": "equipment",
    "medical equipment": "equipment",
}


def parse_value(text: str) -> tuple[float | None, str | None, str | None]:
    m = VALUE.search(text)
    if not m or not any(ch.isdigit() for ch in m.group(2)):
        return None, None, None
    dollar, num, mult, cur = m.groups()
    if not (dollar or cur):
        return None, None, None
    value = float(num.replace(",", "")) * {None: 1, "k": 1e3, "m": 1e6}[(mult or "").lower() or None]
    note = None
    if dollar and cur and cur.upper() == "RMB":
        note = f"The source writes '{m.group(0).strip()}'; read here as renminbi (CNY)."
    currency = "CNY" if (cur or "").upper() == "RMB" else "USD"
    return value, currency, note


def transfers(rows: list[list[str]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    seen: Counter[str] = Counter()
    cc = ""
    for row in rows:
        if row[0].upper() in COUNTRY:
            cc = COUNTRY[row[0].upper()]
            continue
        recipient, donor, date_text, what = row
        date, as_given = parse_date(date_text)
        head, _, rest = what.partition(":")
        ttype = TRANSFER_TYPES.get(head.strip().lower(), "other")
        value, currency, note = parse_value(what)
        items = _items(rest.strip() if rest else what)
        rec: dict[str, object] = {
            "id": _id("tr", cc, date, seen),
            "title": _transfer_title(what, cc),
            "date": date,
            "countries": [cc],
            "transfer_type": ttype,
            "donor": donor or "Unknown",
            "recipient": recipient,
            "items": items,
            "value_as_given": what,
            "citations": [{**CITE, "locator": "Appendix 5"}],
        }
        if value is not None:
            rec["value"] = int(value) if value.is_integer() else value
            rec["currency"] = currency
        if as_given:
            rec["date_as_given"] = as_given
            rec["notes"] = "Month spelling corrected from the source."
        if note:
            rec["notes"] = note
        if not donor:
            rec["notes"] = "The source leaves the Chinese party blank."
        out.append({k: v for k, v in rec.items() if v is not None})
    return out


def _items(text: str) -> str | None:
    """What was transferred, without the money amount (kept in value/value_as_given)."""
    stripped = VALUE.sub("", text) if parse_value(text)[0] is not None else text
    stripped = re.sub(r"^\W+|\W+$|\s+[Ww]orth$", "", stripped.strip()).strip(" ,")
    return stripped or None


def _transfer_title(what: str, cc: str) -> str:
    head, _, rest = what.partition(":")
    items = _items(rest.strip()) if rest else None
    label = head.strip().replace("COVID aid", "COVID-19 aid")
    return f"{label} from China to {NAME[cc]}" + (f": {items}" if items else "")


def dump(path: Path, key: str, records: list[dict[str, object]], header: str) -> None:
    if path.exists():
        sys.exit(f"{path} exists: the YAML is edited by hand now; refusing to overwrite it")
    text = yaml.safe_dump({key: records}, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"# {header}\n" + text, encoding="utf-8")


def main(seed: str, outdir: str) -> None:
    lines = Path(seed).read_text(encoding="utf-8").splitlines()
    out = Path(outdir)
    app1 = section(lines, "## APPENDIX 1.", "## APPENDIX 2.")
    for cc, recs in meetings(app1).items():
        dump(
            out / f"meetings-{cc.lower()}.yaml",
            "meetings",
            recs,
            f"FPRI (Yau 2022) Appendix 1: security-related bilateral meetings, {NAME[cc]}-China.",
        )
    app4 = section(lines, "## APPENDIX 4.", "## APPENDIX 5.")
    dump(out / "trainings-fpri.yaml", "trainings", trainings(app4), "FPRI (Yau 2022) Appendix 4.")
    app5 = section(lines, "## APPENDIX 5.", "## APPENDIX 6")
    dump(out / "transfers-fpri.yaml", "transfers", transfers(app5), "FPRI (Yau 2022) Appendix 5.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
