"""Reading user files as text, with a clear error for anything that is not UTF-8 text."""

from __future__ import annotations

from pathlib import Path

from cvgen.errors import InputFileError, Problem


def read_text_file(path: Path, what: str) -> str:
    """Read a UTF-8 text file; a missing file, a folder or binary data is an InputFileError."""
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(source, [Problem(f"no such {what} file")]) from None
    except IsADirectoryError:
        raise InputFileError(source, [Problem(f"is a folder, not a {what} file")]) from None
    except OSError as error:
        raise InputFileError(source, [Problem(f"cannot be read: {error.strerror}")]) from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputFileError(source, [Problem(f"is binary data (a NUL byte), not a {what} text file", line)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise InputFileError(
            source, [Problem(f"is not UTF-8 text (byte 0x{byte:02x}); save the {what} file as UTF-8", line)]
        ) from None
    return text.removeprefix("\ufeff")
