"""The render core: what every page type uses and no page type owns.

`page` (the value the writer takes), `paths` (where pages live and how they link), `engine` (the
Jinja templates and their errors), `markup` (small Markdown/HTML helpers), `views` (record rows,
details, conflicts, history, figures), `site` (the `Site` a page builder is given: the atlas,
the settings, the editions and the options) and `memo` (the preview's page memory).

The core imports no page type (`generator/pages/`) and no widget (maps, charts);
tests/test_layers.py fails when it does.
"""
