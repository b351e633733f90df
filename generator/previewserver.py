"""The preview's web server and watcher: mkdocs' live-reload server with a native inotify
observer, only the events a save makes, the form editor's API, the error banner, and a note of the
pages browsers have open (`previewpages.Viewed`) so a save renders those first."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

from generator.previewpages import Viewed


class Preview(Protocol):
    """What the server asks of the preview (generator/preview.py) it serves."""

    cms: Any

    def wants(self, path: str) -> bool: ...
    def classify(self, path: str) -> None: ...
    def banner(self) -> bytes: ...


# The events a save makes (in place, or by a rename over the file), asked of inotify itself: by
# default it also reports every file opened and closed, and each build reads hundreds of files in
# the watched folders, which kept the watcher thread busy while the build ran.
_SAVES: list[type[watchdog.events.FileSystemEvent]] = [
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileClosedEvent,
    watchdog.events.FileMovedEvent,
    watchdog.events.FileDeletedEvent,
    # a folder moved in or out, or removed, changes what the build reads (`mv data/records away`)
    watchdog.events.DirMovedEvent,
    watchdog.events.DirDeletedEvent,
    watchdog.events.DirCreatedEvent,
]


class _Server(LiveReloadServer):
    """mkdocs' live-reload server with a native observer, filtered events and the error banner."""

    def __init__(self, preview: Preview, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.preview = preview
        self.viewed = Viewed()  # the pages browsers have open, rendered first after a save
        self.build_delay = 0.05  # an editor's save is a burst of events; wait for quiet, briefly
        # mkdocs' attribute is inferred as PollingObserver, but it uses only the BaseObserver API
        self.observer = watchdog.observers.Observer()  # type: ignore[assignment]

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        preview = self.preview

        class Handler(watchdog.events.FileSystemEventHandler):
            def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                if event.is_directory and event.event_type == "modified":
                    return  # a file inside changed: its own event says which
                for p in (event.src_path, getattr(event, "dest_path", "")):
                    if p and preview.wants(str(p)):
                        preview.classify(str(p))

        target = Path(path)
        if target.is_file():  # watch a single file through its folder
            self.observer.schedule(
                _OnlyFile(Handler(), target), str(target.parent), recursive=False, event_filter=_SAVES
            )
        else:
            self.observer.schedule(Handler(), path, recursive=recursive, event_filter=_SAVES)
        self._watched_paths[path] = 1

    def publish(self) -> None:
        """Reload the browsers now, before the build function returns (mkdocs' own reload after
        it returns then finds them current: one reload per save)."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def reload_again(self) -> None:
        """Make the reload after this build a new one (browsers already at this build's epoch)."""
        with self._rebuild_cond:
            self._wanted_epoch = max(self._wanted_epoch + 1, int(time.monotonic() * 1000))

    def request_rebuild(self) -> None:
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        """A NUL byte in the address (`%00`) names no file: 404, not a 500 and a traceback. Then
        the form editor (/admin/) and its API (/api/v1), then mkdocs' pages."""
        path = str(environ.get("PATH_INFO", ""))
        if "\x00" in path or "%00" in path.lower():
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"Not found"]
        if path.startswith("/livereload/") and (referer := str(environ.get("HTTP_REFERER", ""))):
            # a page's reload script waits until the next build: while it waits, the page is open
            page = urlsplit(referer).path
            self.viewed.polling(page, +1)
            try:
                return super()._serve_request(environ, start_response)
            finally:
                self.viewed.polling(page, -1)
        if path.endswith(("/", ".html")):
            self.viewed.served(path)
        answer = self.preview.cms.wsgi(environ, start_response)
        return answer if answer is not None else super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        banner = self.preview.banner()
        if not banner:
            return content
        at = content.find(b">", content.find(b"<body")) + 1 if b"<body" in content else 0
        return content[:at] + banner + content[at:]


class _OnlyFile(watchdog.events.FileSystemEventHandler):
    def __init__(self, inner: watchdog.events.FileSystemEventHandler, path: Path) -> None:
        self.inner = inner
        self.path = path.resolve()

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        paths = (event.src_path, getattr(event, "dest_path", ""))
        if any(p and Path(str(p)).resolve() == self.path for p in paths):
            self.inner.on_any_event(event)
