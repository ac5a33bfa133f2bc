"""`cvgen watch`: the outputs made again whenever the CV or a template folder it reads is saved, and the web page
served on this machine so that an open browser reloads it after each build.

Saves are found by polling the files' sizes and times (every 50 ms: a few dozen stats, no dependency and no
inotify limit); a save seen while the last build is still making its PDFs stops that build's processes (each
stops TeX and removes its temporary file) and starts the next one, so the Markdown and the web page follow every
save at once and the PDFs follow the last. The builds are those of `cvgen build` (`cvgen.build`), forked from
this process, which keeps cvgen, Jinja and WeasyPrint loaded between them.

The page is served from the output folder by a small HTTP server bound to 127.0.0.1. It serves `cv.html` with
a script added before `</body>` (the file on disk is left as the build wrote it) that knows the file's time
when it was served, asks the server for it every 300 ms and reloads the page, where it was scrolled, when it
changes.
"""

from __future__ import annotations

import contextlib
import http.server
import os
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


def watch(inputs: Callable[[], tuple[list[Path], list[str]]], start: Callable[[], BuildRun | None],
          ended: Callable[[Result], None], finished: Callable[[BuildRun, list[Result]], None]) -> None:
    """Build, then build again after every save of the `inputs()` files and folders, until interrupted.
    `start` starts a build (None when the CV cannot be read: it has said why), `ended` reports each output as it
    ends and `finished` each whole build. A build a save overtakes is stopped; an interrupt, or any error, stops
    the one under way, then is raised again."""
    run = None
    try:
        run = start()
        seen = stamp(*inputs())
        while True:
            if run is not None and not run.running.done:
                for result in run.running.poll(POLL_SECONDS):
                    ended(result)
                if run.running.done:
                    finished(run, run.finish())
            else:
                time.sleep(POLL_SECONDS)
            now = stamp(*inputs())
            if now == seen:
                continue
            time.sleep(SETTLE_SECONDS)
            seen = stamp(*inputs())
            if run is not None and not run.running.done:
                run.running.stop()
                run.finish()  # what it made before the save is kept in the record
            run = start()
    except BaseException:
        if run is not None:
            run.running.stop()
        raise


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


__all__ = ["POLL_SECONDS", "serve", "stamp", "watch"]
