"""Compiling LaTeX to PDF with latexmk in a throw-away folder, with TeX's file and shell access shut down.

Errors come back as CvgenError: the first LaTeX error with its .tex line and the CV field that line came from
(read from the `% cvgen: <field>` comments the LaTeX renderer writes), and any character the fonts could not set.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cvgen.errors import CvgenError

TIMEOUT_SECONDS = 300
JOB_NAME = "cv"
ENGINE_OPTIONS = {"pdflatex": "-pdf", "xelatex": "-pdfxe"}
INSTALL_HINT = "run scripts/install-system-deps.sh"

_FILE_LINE_ERROR = re.compile(rf"^(?:\./)?{JOB_NAME}\.tex:(\d+): (.*)$", re.MULTILINE)
_TEX_ERROR = re.compile(r"^! (.*)$", re.MULTILINE)
_ERROR_LINE = re.compile(r"^l\.(\d+)", re.MULTILINE)
# The renderer's source markers: "% cvgen: sections[4].items[2]"; "% cvgen: (template)" marks template lines.
# A user template may leave one at the end of a line (after a block tag ate the line break); it is still a comment
# (escaped text reads {\%}, never "% cvgen:") and it still names what follows it.
_SOURCE_MARKER = re.compile(r"(?<!\\)% cvgen: (.+?)\s*$")
_MISSING_CHARACTER = re.compile(
    r"^Missing character: There is no (.+?)(?: \(U\+([0-9A-Fa-f]{4,6})\))? in font (.*?)!?$", re.MULTILINE
)


@dataclass(frozen=True)
class LatexResult:
    """A compiled PDF and the engine's log."""

    pdf: bytes
    log: str


def compile_latex(tex: str, engine: str) -> bytes:
    """Compile a LaTeX document with latexmk and the given engine; return the PDF's bytes."""
    return compile_latex_with_log(tex, engine).pdf


def compile_latex_with_log(tex: str, engine: str) -> LatexResult:
    """Compile as compile_latex does, also returning the log (for warnings such as overfull boxes)."""
    if engine not in ENGINE_OPTIONS:
        raise CvgenError(f"unknown LaTeX engine {engine!r}; use one of {', '.join(ENGINE_OPTIONS)}")
    for tool in ("latexmk", engine):
        if shutil.which(tool) is None:
            raise CvgenError(f"{tool} is not installed; {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="cvgen-latex-") as folder:
        work = Path(folder)
        (work / f"{JOB_NAME}.tex").write_text(tex, encoding="utf-8")
        completed = _run_latexmk(work, engine)
        log_path = work / f"{JOB_NAME}.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        pdf_path = work / f"{JOB_NAME}.pdf"
        if completed.returncode != 0 or not pdf_path.exists():
            raise CvgenError(_failure_message(tex, log, completed.stdout))
        pdf = pdf_path.read_bytes()
    missing = missing_characters(log)
    if missing:
        raise CvgenError(_missing_message(missing))
    return LatexResult(pdf, log)


def _run_latexmk(work: Path, engine: str) -> subprocess.CompletedProcess[str]:
    command = [
        "latexmk", "-norc", ENGINE_OPTIONS[engine], "-interaction=nonstopmode", "-halt-on-error",
        "-file-line-error", "-no-shell-escape", f"{JOB_NAME}.tex",
    ]
    environment = dict(os.environ)
    # Paranoid file access: TeX reads and writes only below the working folder (plus its own trees), and
    # runs no shell commands, whatever the document says.
    environment.update({"openin_any": "p", "openout_any": "p", "shell_escape": "f", "TEXMFOUTPUT": str(work)})
    environment["max_print_line"] = "100000"  # log lines unwrapped, so messages are read whole
    process = subprocess.Popen(
        command, cwd=work, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # latexmk's engine runs are its children: end the whole group
        process.communicate()
        raise CvgenError(f"LaTeX ({engine}) took longer than {TIMEOUT_SECONDS} s and was stopped") from None
    return subprocess.CompletedProcess(command, process.returncode, output, None)


def first_error(log: str) -> tuple[int | None, str] | None:
    """The first LaTeX error in a log: its .tex line number (when known) and message."""
    match = _FILE_LINE_ERROR.search(log)
    tex_error = _TEX_ERROR.search(log)
    if tex_error and (not match or tex_error.start() < match.start()):
        line = _ERROR_LINE.search(log, tex_error.end())
        return (int(line.group(1)) if line else None), tex_error.group(1).strip()
    if match:
        return int(match.group(1)), match.group(2).strip()
    return None


def source_field(tex: str, line: int) -> str | None:
    """The CV field a .tex line came from: the nearest `% cvgen: <field>` marker above it, if any."""
    lines = tex.splitlines()
    for number in range(min(line - 1, len(lines)) - 1, -1, -1):
        marker = _SOURCE_MARKER.search(lines[number])
        if marker:
            field = marker.group(1)
            return None if field.startswith("(") else field
    return None


def _failure_message(tex: str, log: str, output: str) -> str:
    error = first_error(log)
    if error is None:
        tail = "\n".join(output.strip().splitlines()[-15:])
        return f"LaTeX failed without an error in its log; latexmk said:\n{tail}"
    line, message = error
    if line is None:
        return f"LaTeX error: {message}"
    lines = tex.splitlines()
    source = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    field = source_field(tex, line)
    origin = f" (from {field} in the CV)" if field else ""
    return (
        f"LaTeX error at line {line} of the generated .tex{origin}: {message}\n"
        f"  {line} | {source}\n"
        "`cvgen latex` writes the .tex to look at."
    )


def missing_characters(log: str) -> list[tuple[str, str]]:
    """Characters the fonts could not set, from the log's 'Missing character' lines: (character, font)."""
    found: dict[str, str] = {}
    for match in _MISSING_CHARACTER.finditer(log):
        character, code, font = match.groups()
        if code:
            character = chr(int(code, 16))
        found.setdefault(character, font)
    return list(found.items())


def _missing_message(missing: list[tuple[str, str]]) -> str:
    shown = ", ".join(
        f"{character!r} (U+{ord(character):04X}) in font {font}" if len(character) == 1 else f"{character} in {font}"
        for character, font in missing[:10]
    )
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return (
        f"the PDF would lack characters its fonts do not have: {shown}{more}. Install the Noto CJK fonts "
        f"(fonts-noto-cjk) for Korean, Chinese and Japanese and Symbola (fonts-symbola) for emoji "
        f"({INSTALL_HINT}), or remove the characters"
    )
