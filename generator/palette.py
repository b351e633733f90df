"""Colours. Maps: Paul Tol's colour-blind-safe 'muted' scheme, one per record kind. Charts: the
Okabe-Ito palette (eight colours, colour-blind safe), one per chart category or country; none is
near-black, so bars hold on Material's dark background too."""

from __future__ import annotations

KIND_COLOURS = {
    "meeting": "#332288",
    "exercise": "#CC6677",
    "training": "#117733",
    "programme": "#44AA99",
    "course": "#999933",
    "transfer": "#882255",
    "surveillance": "#AA4499",
    "mechanism": "#88CCEE",
    "infrastructure": "#DDCC77",
    "security_company": "#6699CC",
    "incident": "#000000",
    "indicator": "#BBBBBB",
    "claim": "#777777",
}

# Okabe & Ito (2008). Keys: the eight chart categories of generator/charts.py.
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
