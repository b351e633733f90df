"""The preview's memory of pages between builds (a one-off build has none).

A page type that can be kept says what its page is made from (`inputs`); the page of the last
build is reused while those inputs are equal. tests/test_render.py checks that edits of every
kind give the same pages as a build without the memo."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from generator.core.page import Page


class Memo:
    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[object, Page]] = {}
        # the paths each job (page module, key) wrote last time: the preview runs first the jobs
        # whose pages a browser has open
        self.outputs: dict[Hashable, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def page(self, slot: Hashable, inputs: object | None, build: Callable[[], Page]) -> Page:
        """The kept page for `slot` if its `inputs` are unchanged, else a new one (kept). None
        inputs mean the page cannot be kept (it depends on more than its inputs say)."""
        if inputs is None:
            return build()
        kept = self._kept.get(slot)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        page = build()
        self._kept[slot] = (inputs, page)
        return page
