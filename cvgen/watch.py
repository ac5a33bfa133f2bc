"""`cvgen watch`: the outputs made again whenever the CV or a template folder it reads is saved, and the web page
served on this machine so that an open browser reloads it after each build.

A save is seen the moment the editor closes the file (or renames its new copy into place) through Linux's
inotify, on the CV's folder and the template folder trees; the files' sizes and times are also polled every
50 ms, which is all there is elsewhere or where inotify has no room left, and a change polling finds is read
again 30 ms later, in case the editor is still writing. A save seen while the last build is still making its
PDFs stops that build's processes (each stops TeX and removes its temporary file) and starts the next one, so
the Markdown and the web page follow every save at once and the PDFs follow the last. The builds are those of
`cvgen build` (`cvgen.build`), forked from this process, which keeps cvgen, Jinja and WeasyPrint loaded between them.

The page is served from the output folder by a small HTTP server bound to 127.0.0.1. It serves `cv.html` with
a script added before `</body>` (the file on disk is left as the build wrote it) that knows the file's time
when it was served, asks the server for it every 300 ms and reloads the page, where it was scrolled, when it
changes.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.server
import os
import select
import struct
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from cvgen.build import BuildRun, Result, folder_digest

POLL_SECONDS = 0.05
SETTLE_SECONDS = 0.03  # a save seen is read again this much later, so an editor's write in two steps is one save
VERSION_PATH = "/__cvgen__/version"
RELOAD_SCRIPT = """<script>/* added by cvgen watch: reload when the build rewrites this page */
(function () {
  var key = "cvgen-scroll:" + location.pathname, seen = "SERVED_VERSION";
  var kept = sessionStorage.getItem(key);
  if (kept !== null) { sessionStorage.removeItem(key); window.scrollTo(0, +kept); }
  setInterval(function () {
    fetch("VERSION_PATH", {cache: "no-store"}).then(function (answer) { return answer.text(); })
    .then(function (version) {
      if (version !== seen) { seen = version; sessionStorage.setItem(key, String(window.scrollY)); location.reload(); }
    }).catch(function () {});
  }, 300);
})();
</script>
""".replace("VERSION_PATH", VERSION_PATH)


NO_PAGE_YET = ("<!DOCTYPE html><title>cvgen watch</title><body><p>No web page yet: the first build is under way or "
               "failed (see the terminal).</p></body>")


def stamp(files: Sequence[Path], folders: Sequence[str]) -> str:
    """What a save changes: each file's size and time, and each folder's files'."""
    seen = []
    for path in files:
        try:
            status = os.stat(path)
            seen.append(f"{path}:{status.st_size}:{status.st_mtime_ns}")
        except OSError:
            seen.append(f"{path}:absent")
    return "\n".join([*seen, *(folder_digest(folder) for folder in folders)])


class Saves:
    """Linux's inotify on the watched files' folders and the template folder trees: `wait` returns as soon as a
    watched file is closed after writing, moved in or out, removed or touched (never in the middle of a write), or
    after the timeout. Where inotify is missing or full, or a folder cannot be watched, it only sleeps, and polling
    finds the save."""

    # IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE: not IN_MODIFY, which comes mid-write
    MASK = 0x004 | 0x008 | 0x040 | 0x080 | 0x200
    _EVENT = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len; then len bytes of name

    def __init__(self) -> None:
        self.folders: dict[int, set[str] | None] = {}  # watch → the file names that count there (None: all)
        self.watched: set[tuple[str, str]] = set()
        self.added: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self.descriptor: int | None = None
        try:
            self.libc = ctypes.CDLL(None, use_errno=True)
            descriptor = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (AttributeError, OSError):  # not Linux
            return
        self.descriptor = descriptor if descriptor >= 0 else None

    def add(self, files: Sequence[Path], trees: Sequence[str]) -> None:
        """Watch these files (through their folders) and every file in these folder trees too (a folder made in
        a tree later is left to polling)."""
        added = (tuple(map(str, files)), tuple(trees))
        if self.descriptor is None or added == self.added:
            return
        self.added = added
        wanted = [(str(path.parent), path.name) for path in files]
        wanted += [(base, "") for top in trees for base, _, _ in os.walk(top)]
        for folder, name in wanted:
            if (folder, name) in self.watched:
                continue
            self.watched.add((folder, name))  # tried once: a folder inotify refuses is left to polling
            number = self.libc.inotify_add_watch(self.descriptor, os.fsencode(folder), self.MASK)
            if number >= 0:
                names = self.folders.setdefault(number, set())
                if names is not None:
                    self.folders[number] = names | {name} if name else None

    def wait(self, timeout: float) -> bool:
        """Whether a watched file was saved within `timeout` seconds; the events read."""
        if self.descriptor is None:
            time.sleep(timeout)
            return False
        return bool(select.select([self.descriptor], [], [], timeout)[0]) and self.drain()

    def drain(self) -> bool:
        """Whether the events that had come (now read) include a watched file's save."""
        data = b""
        with contextlib.suppress(BlockingIOError):
            while self.descriptor is not None and (chunk := os.read(self.descriptor, 65536)):
                data += chunk
        saved, offset = False, 0
        while offset + self._EVENT.size <= len(data):
            number, _, _, length = self._EVENT.unpack_from(data, offset)
            name = data[offset + self._EVENT.size:offset + self._EVENT.size + length].rstrip(b"\0")
            names = self.folders.get(number, set())
            saved = saved or names is None or os.fsdecode(name) in names
            offset += self._EVENT.size + length
        return saved

    def close(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None


def watch(inputs: Callable[[], tuple[list[Path], list[str]]], start: Callable[[], BuildRun | None],
          ended: Callable[[Result], None], finished: Callable[[BuildRun, list[Result]], None]) -> None:
    """Build, then build again after every save of the `inputs()` files and folders, until interrupted.
    `start` starts a build (None when the CV cannot be read: it has said why), `ended` reports each output as it
    ends and `finished` each whole build. A build a save overtakes is stopped; an interrupt, or any error, stops
    the one under way, then is raised again."""
    run = None
    saves = Saves()
    try:
        run = start()
        seen = stamp(*inputs())
        while True:
            files, folders = inputs()
            saves.add(files, folders)
            if run is not None and not run.running.done:
                for result in run.running.poll(POLL_SECONDS, wake=saves.descriptor):
                    ended(result)
                if run.running.done:
                    finished(run, run.finish())
                whole = saves.drain()
            else:
                whole = saves.wait(POLL_SECONDS)
            now = stamp(files, folders)
            if now == seen:
                continue
            if not whole:  # found by polling: the editor may still be writing
                time.sleep(SETTLE_SECONDS)
                now = stamp(*inputs())
            seen = now
            if run is not None and not run.running.done:
                run.running.stop()
                run.finish()  # what it made before the save is kept in the record
            run = start()
    except BaseException:
        if run is not None:
            run.running.stop()
        raise
    finally:
        saves.close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The output folder's files; the web page with the reload script; the page's time at VERSION_PATH."""

    page = "cv.html"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        path = self.path.split("?", 1)[0]
        if path == VERSION_PATH:
            self._send(self._version().encode(), "text/plain; charset=utf-8")
        elif path in ("/", f"/{self.page}"):
            version = self._version()  # before the page is read: a page newer than its version is reloaded once more
            try:
                page = (Path(self.directory) / self.page).read_text(encoding="utf-8")
            except OSError:
                page = NO_PAGE_YET
            at = page.rfind("</body>")
            script = RELOAD_SCRIPT.replace("SERVED_VERSION", version)
            page = page[:at] + script + page[at:] if at >= 0 else page + script
            self._send(page.encode("utf-8"), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def _version(self) -> str:
        with contextlib.suppress(OSError):
            return str(os.stat(Path(self.directory) / self.page).st_mtime_ns)
        return "none"

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        """Quiet: the terminal is for the builds."""


def serve(folder: Path, port: int) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the output folder on 127.0.0.1 (`port` 0: any free port) in a thread; the server and the page's URL."""
    folder.mkdir(parents=True, exist_ok=True)

    def handler(*arguments: object) -> _Handler:
        return _Handler(*arguments, directory=str(folder))  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="cvgen watch server", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/cv.html"


__all__ = ["POLL_SECONDS", "Saves", "serve", "stamp", "watch"]
