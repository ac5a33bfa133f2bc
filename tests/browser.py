"""Headless Chromium driven over the DevTools protocol on a pipe, for the tests that load web pages.

Chromium is driven over `--remote-debugging-pipe` (commands on its fd 3, replies and events on its fd 4, each a
JSON message ended by a NUL byte), so a test sees every console message, uncaught exception and failed resource
load with its level, which `--enable-logging` does not tell.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 1200, 1600
PHONE_WIDTH = 390
TIMEOUT = 30.0
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # tests run as root in CI, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    "--remote-debugging-pipe",
    f"--window-size={WIDTH},{HEIGHT}",
)


class BrowserError(RuntimeError):
    """Chromium did not answer, or answered a command with an error."""


class Chromium:
    """One headless Chromium process, spoken to over the DevTools pipe."""

    def __init__(self, profile: Path) -> None:
        commands_read, commands_write = os.pipe()
        replies_read, replies_write = os.pipe()
        # The child's ends move to fds of 10 or more, clear of 3 and 4, where bash then places them (dash takes
        # only one-digit fds): no preexec_fn, and no matter what the test process has open on 3 and 4.
        child_commands = fcntl.fcntl(commands_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_replies = fcntl.fcntl(replies_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(commands_read)
        os.close(replies_write)
        place = f"3<&{child_commands} 4>&{child_replies} {child_commands}<&- {child_replies}>&-"
        executable = shutil.which("chromium")
        assert executable is not None
        self.log = profile / "chromium.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", f'exec "$0" "$@" {place}', executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=(child_commands, child_replies),
            )
        os.close(child_commands)
        os.close(child_replies)
        self.commands, self.replies = commands_write, replies_read
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):  # it may close the pipe before it answers
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.commands)
        os.close(self.replies)

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.replies], [], [], remaining)[0]:
                raise BrowserError(f"Chromium did not answer in time; its log: {self.log}")
            chunk = os.read(self.replies, 1 << 20)
            if not chunk:
                log = self.log.read_text(errors="replace")[-3000:]
                raise BrowserError(f"Chromium closed the pipe; the end of its log:\n{log}")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send a command and wait for its reply, keeping the events that arrive meanwhile."""
        self.next_id += 1
        command: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self.commands, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)


class Page:
    """A tab: navigate, then read the problems it reported, evaluate scripts and take screenshots."""

    def __init__(self, browser: Chromium, url: str) -> None:
        self.browser = browser
        self.protocol = url.split(":", 1)[0] + ":"  # the page's, not the tab's first about:blank
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session: str = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            browser.send(f"{domain}.enable", session=self.session)
        self.resize(WIDTH, HEIGHT)
        navigation = browser.send("Page.navigate", {"url": url}, self.session)
        if "errorText" in navigation:
            raise BrowserError(f"{url}: {navigation['errorText']}")
        self._wait_until_loaded()
        self.evaluate("document.fonts.ready.then(() => true)")  # screenshots with the real faces

    def _wait_until_loaded(self) -> None:
        """Wait until the page (not the tab's first about:blank) has loaded, sub-resources included."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            with contextlib.suppress(BrowserError):  # the old document may vanish while it is asked
                if self.evaluate(f"location.protocol === '{self.protocol}' && document.readyState === 'complete'"):
                    return
            time.sleep(0.02)
        raise BrowserError("the page did not finish loading")

    def resize(self, width: int, height: int) -> None:
        self.browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            self.session,
        )

    def evaluate(self, expression: str) -> Any:
        reply = self.browser.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, self.session
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors and assertions, uncaught exceptions and error log entries (failed loads, CSP…)."""
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                words = [str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])]
                found.append(f"console.{params['type']}: " + " ".join(words))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                found.append(f"{entry['source']}: {entry['text']} {entry.get('url', '')}".rstrip())
        return found

    def screenshot(self) -> bytes:
        reply = self.browser.send("Page.captureScreenshot", {"format": "png"}, self.session)
        return base64.b64decode(reply["data"])
