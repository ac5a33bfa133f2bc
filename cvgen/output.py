"""Writing output files atomically: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from pathlib import Path

from cvgen.errors import CvgenError, printable

INTERRUPTED = threading.Event()  # set by Ctrl-C, checked again before any output is written
_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


def write_atomically(target: Path, data: str | bytes) -> None:
    """Write `data` to `target` so that readers see the old file or the whole new one, never a half.

    A symbolic link is followed (the file it names is replaced, not the link). A target that exists and is
    not a regular file (/dev/null, a named pipe, a terminal) is written into directly: renaming over it
    would replace the device itself.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = os.stat(target).st_mode  # through links: /dev/stdout is a link to whatever fd 1 is
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "wb") as handle:  # a device or pipe: written into, never read, never replaced
            handle.write(payload)
        return
    target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    # An interrupt (Ctrl-C, or the SIGTERM that stops a build's output) is held off while the temporary file is
    # made and named: let in between, it would leave a file no one removes.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    temporary = None
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # from here, an interrupt removes it below
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o644)
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def save(path: Path, data: str | bytes) -> None:
    """Write an output file atomically; a failure (full disk, read-only, no such folder) is a clear error. After
    a Ctrl-C nothing is written, even when a library swallowed the interrupt (a bare `except:`)."""
    if INTERRUPTED.is_set():
        raise KeyboardInterrupt
    try:
        write_atomically(path, data)
    except OSError as error:
        raise CvgenError(f"cannot write {printable(str(path))}: {error.strerror or error}") from None


def is_folder(path: Path) -> bool:
    """Whether a path names a folder; False for a path that cannot be one (a NUL in it, a name too long)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False
