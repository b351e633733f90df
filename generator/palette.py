"""Colours: Paul Tol's colour-blind-safe 'muted' scheme, one per record kind and country."""

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
    "claim": "#DDDDDD",
}
COUNTRY_COLOURS = {"KZ": "#332288", "KG": "#CC6677", "TJ": "#117733", "UZ": "#DDCC77", "TM": "#88CCEE"}
