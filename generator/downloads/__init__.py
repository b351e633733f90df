"""The downloads (docs/downloads/): every record as JSON, CSV and GeoJSON, per country and topic
(`records`), and the per-kind CSVs, data dictionary, Frictionless package and past editions' data
(`package`). Both are made from the same rows (`records.record_row`, once per record)."""
