"""Central Asia Security Atlas: YAML records -> Markdown pages for mkdocs-material."""

__version__ = "0.1.0"
