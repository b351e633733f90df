"""Colours: one palette for maps, charts and legends. The Okabe-Ito palette (eight colours,
colour-blind safe), one per category of record kinds; none is near-black, so bars hold on
Material's dark background too. Where a category holds several kinds (training, programme,
course), a map marker tells them apart by pattern: filled, ring, or dashed outline."""

from __future__ import annotations

# Okabe & Ito (2008). Keys: the eight categories of KIND_GROUPS below.
CHART_COLOURS = {
    "meetings": "#0072B2",
    "exercises": "#D55E00",
    "training": "#009E73",
    "transfers": "#E69F00",
    "surveillance": "#CC79A7",
    "mechanisms": "#56B4E9",
    "presence": "#F0E442",
    "incidents": "#999999",
}
COUNTRY_CHART_COLOURS = {"KZ": "#0072B2", "KG": "#D55E00", "TJ": "#009E73", "UZ": "#E69F00", "TM": "#56B4E9"}

# Thirteen record kinds folded into eight categories a reader can tell apart (the chart series
# and the map colours). Indicators and claims are not events: charts never count them, and maps
# draw them in the incidents' grey with their own pattern.
KIND_GROUPS: list[tuple[str, str, tuple[str, ...]]] = [
    ("meetings", "Meetings", ("meeting",)),
    ("exercises", "Joint exercises", ("exercise",)),
    ("training", "Training and education", ("training", "programme", "course")),
    ("transfers", "Transfers and arms", ("transfer",)),
    ("surveillance", "Surveillance", ("surveillance",)),
    ("mechanisms", "Mechanisms and agreements", ("mechanism",)),
    ("presence", "Infrastructure and private security", ("infrastructure", "security_company")),
    ("incidents", "Incidents and cases", ("incident",)),
]
PATTERNS = ("solid", "ring", "dashed")  # the marker of the 1st, 2nd and 3rd kind of a category
_MAP_GROUPS = [*KIND_GROUPS[:-1], ("incidents", "", ("incident", "claim", "indicator"))]
KIND_STYLES: dict[str, tuple[str, str]] = {
    kind: (CHART_COLOURS[gid], PATTERNS[i]) for gid, _, kinds in _MAP_GROUPS for i, kind in enumerate(kinds)
}
KIND_COLOURS = {kind: colour for kind, (colour, _) in KIND_STYLES.items()}
