r"""Compiling LaTeX to PDF with latexmk, with TeX's file and shell access shut down.

TeX works in a folder kept under the output folder (`.cvgen-latex/` beside cv.tex), locked while a build uses it:
its .aux and latexmk's record of the last run survive, so a rebuild runs TeX once, or not at all when nothing
changed. A new folder starts with the .aux of the last build of the same document (else of the last one with the
same preamble), kept in cvgen's cache: when TeX writes that .aux back unchanged, the run read what a second run
would read, and latexmk stops after one run instead of two. The start of the preamble, up to the line
`\csname endofdump\endcsname`, is the same for many CVs: it is compiled once into a TeX format (mylatexformat)
cached under $XDG_CACHE_HOME/cvgen, and TeX starts from that instead of loading the packages again. A format is
built beside the first compile that lacks it; when it cannot be built or loaded, the document compiles the usual way.

Errors come back as CvgenError: the first LaTeX error with its .tex line and the CV field that line came from
(read from the `% cvgen: <field>` comments the LaTeX renderer writes), and any character the fonts could not set.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from cvgen.errors import CvgenError

TIMEOUT_SECONDS = 300
LOCK_WAIT_SECONDS = 2 * TIMEOUT_SECONDS  # a build into the same folder may run TeX, then build a format
JOB_NAME = "cv"
ENGINE_OPTIONS = {"pdflatex": "-pdf", "xelatex": "-pdfxe"}
INSTALL_HINT = "run scripts/install-system-deps.sh"
WORK_FOLDER = ".cvgen-latex"
# The end of the part of the preamble kept in a format. Outside a format build it is \relax: it does nothing.
DUMP_MARKER = r"\csname endofdump\endcsname"
FORMATS_KEPT = 6  # formats in the cache (about 30 MB each); the least recently used go first
AUX_SEEDS_KEPT = 64  # .aux files (about 1 KB each) kept to start builds in new folders

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
# What TeX says when it cannot start from a format: missing, truncated, or written by another TeX.
_FORMAT_FAILURE = re.compile(r"Fatal format file error|can't find the format file|Could not undump|^---! .*\.fmt",
                             re.MULTILINE)
_FORMAT_STORAGE = "uncompressed"  # how the cache keeps formats: in the key, so formats kept otherwise are rebuilt
_ENGINE_RUN = re.compile(r"^Run number \d+ of rule '(\w+)'", re.MULTILINE)

# Read by TeX after mylatexformat.ltx in an -ini run, preceded by \def\cvgenstep{probe|dump|plain}, to turn the
# preamble of cv.tex into cv.fmt. mylatexformat would preload fonts at the dump point; cvgen loads none there.
# XeTeX cannot dump a format that holds its (native) fonts, yet the class and packages measure lengths in em and
# ex of the fonts they load. So a probe run loads the preamble as usual and records, at the dump point, the metrics
# of every font loaded and every length register; the dump run then loads a TFM stand-in with the same metrics for
# each font, checks that every length came out the same, forgets the stand-ins, and dumps. Each job of the format
# starts by loading the current font for real, as the preamble had left it. (The stand-ins are cmr10 at sizes
# near 1000 pt, which nothing else loads: TeX shares a font loaded twice at one size, and expl3 keeps its integer
# arrays in cmr10 at tiny sizes.)
_FORMAT_DRIVER = r"""
\catcode`\@=11
\let\cvgen@pickup@font\pickup@font
\gdef\cvgen@fonts{}
\def\cvgen@name#1{{\escapechar\m@ne\xdef\cvgen@fontname{\string#1}}}
\def\cvgen@lengths#1{\the\dimen#1,\the\skip#1,\the\muskip#1}
\def\cvgen@registers#1{\count@\z@ % #1: what to do with each register number (LaTeX allocates them upwards)
  \ifnum\count11>1023 \errmessage{cvgen: too many lengths}\fi\ifnum\count12>1023 \errmessage{cvgen: too many skips}\fi
  \loop#1\advance\count@\@ne\ifnum\count@<1024 \repeat}
\def\cvgen@dimen#1#2{\noexpand\fontdimen#1\noexpand\cvgen@f=\the\fontdimen#1#2\space}
\ifnum\pdfstrcmp{\cvgenstep}{probe}=\z@
  \def\pickup@font{\expandafter\ifx\font@name\relax\define@newfont
    \xdef\cvgen@fonts{\unexpanded\expandafter{\cvgen@fonts}\noexpand\cvgen@font{\expandafter\noexpand\font@name}}\fi}
  \def\cvgen@font#1{\cvgen@name#1\immediate\write\cvgen@out{\noexpand\cvgen@font{\cvgen@fontname}{%
    \cvgen@dimen1#1\cvgen@dimen2#1\cvgen@dimen3#1\cvgen@dimen4#1\cvgen@dimen5#1\cvgen@dimen6#1\cvgen@dimen7#1%
    \noexpand\hyphenchar\noexpand\cvgen@f=\the\hyphenchar#1\space
    \noexpand\skewchar\noexpand\cvgen@f=\the\skewchar#1\space}}}
  \newwrite\cvgen@out
  \def\MYLATEX@fontpreloading{\immediate\openout\cvgen@out=cvgen-fonts.tex
    \cvgen@fonts
    \expandafter\cvgen@name\the\font
    \immediate\write\cvgen@out{\noexpand\cvgen@probed{font}{\cvgen@fontname}}%
    \cvgen@registers{\immediate\write\cvgen@out{\noexpand\cvgen@probed{\the\count@}{\cvgen@lengths\count@}}}%
    \immediate\closeout\cvgen@out
    \csname @@end\endcsname}
\else\ifnum\pdfstrcmp{\cvgenstep}{dump}=\z@
  \newcount\cvgen@size
  \def\cvgen@font#1#2{\expandafter\def\csname cvgen@metrics@#1\endcsname{#2}}
  \def\cvgen@probed#1#2{\expandafter\def\csname cvgen@probed@#1\endcsname{#2}}
  \input cvgen-fonts.tex
  \def\pickup@font{\expandafter\ifx\font@name\relax\cvgen@stand@in\fi}
  \def\cvgen@stand@in{\expandafter\cvgen@name\font@name
    \expandafter\ifx\csname cvgen@metrics@\cvgen@fontname\endcsname\relax
      \errmessage{cvgen: the probe did not load font \cvgen@fontname}\fi
    \global\advance\cvgen@size\@ne
    \global\expandafter\font\font@name=cmr10 at \dimexpr1000pt+\cvgen@size sp\relax
    \expandafter\let\expandafter\cvgen@f\font@name
    \csname cvgen@metrics@\cvgen@fontname\endcsname
    \xdef\cvgen@fonts{\unexpanded\expandafter{\cvgen@fonts}\global\let\expandafter\noexpand\font@name\relax}}
  \def\cvgen@same#1#2{\ifnum\pdfstrcmp{\csname cvgen@probed@#1\endcsname}{#2}=\z@\else
    \errmessage{cvgen: with stand-in fonts, register #1 (or the current font) is not what the probe found}\fi}
  \def\MYLATEX@fontpreloading{\expandafter\cvgen@name\the\font
    \cvgen@same{font}{\cvgen@fontname}%
    \cvgen@registers{\cvgen@same{\the\count@}{\cvgen@lengths\count@}%
      \expandafter\let\csname cvgen@probed@\the\count@\endcsname\@undefined}%
    \cvgen@fonts\let\pickup@font\cvgen@pickup@font
    \everyjob\expandafter{\the\everyjob\selectfont}}
\else
  \let\MYLATEX@fontpreloading\relax
\fi\fi
\catcode`\@=12
\input cv.tex
"""


@dataclass(frozen=True)
class LatexResult:
    """A compiled PDF, the engine's log, and how many times latexmk ran the engine (0: nothing had changed)."""

    pdf: bytes
    log: str
    engine_runs: int = 0


def compile_latex(tex: str, engine: str, folder: Path | None = None, files: Mapping[str, bytes] | None = None,
                  ) -> bytes:
    """Compile a LaTeX document with latexmk and the given engine; return the PDF's bytes.

    TeX works in `folder`/.cvgen-latex (the output folder: kept for the next build), or else in a temporary
    folder in cvgen's cache, removed afterwards. `files` are placed there first, by relative path (pictures).
    """
    return compile_latex_with_log(tex, engine, folder, files).pdf


def compile_latex_with_log(tex: str, engine: str, folder: Path | None = None,
                           files: Mapping[str, bytes] | None = None) -> LatexResult:
    """Compile as compile_latex does, also returning the log (for warnings such as overfull boxes)."""
    if engine not in ENGINE_OPTIONS:
        raise CvgenError(f"unknown LaTeX engine {engine!r}; use one of {', '.join(ENGINE_OPTIONS)}")
    for tool in ("latexmk", engine):
        if shutil.which(tool) is None:
            raise CvgenError(f"{tool} is not installed; {INSTALL_HINT}")
    seeds = _AuxSeeds.of(tex, engine)
    with _work_folder(folder) as work:
        for name, data in (files or {}).items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            _write_if_changed(work / name, data)
        _write_if_changed(work / f"{JOB_NAME}.tex", tex.encode("utf-8"))
        output = _compile(work, tex, engine, seeds)
        log_path = work / f"{JOB_NAME}.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        pdf_path = work / f"{JOB_NAME}.pdf"
        if output.returncode != 0 or not pdf_path.exists():
            raise CvgenError(_failure_message(tex, log, output.stdout))
        pdf = pdf_path.read_bytes()
        engine_runs = _engine_runs(output.stdout, engine)
        if engine_runs:
            seeds.keep(work)
    missing = missing_characters(log)
    if missing:
        raise CvgenError(_missing_message(missing))
    return LatexResult(pdf, log, engine_runs)


def cache_folder() -> Path:
    """cvgen's cache: $XDG_CACHE_HOME/cvgen, by default ~/.cache/cvgen."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "cvgen"


def format_folder() -> Path:
    """Where the precompiled preambles (TeX formats) are kept."""
    return cache_folder() / "latex-formats"


def aux_seed_folder() -> Path:
    """Where the .aux files of earlier builds are kept, to start builds in new folders."""
    return cache_folder() / "latex-aux"


# --- the work folder ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _work_folder(folder: Path | None) -> Iterator[Path]:
    """The locked work folder under `folder`, or a temporary one in the cache when there is none."""
    if folder is None:
        parent = _private_folder(cache_folder() / "latex-work")
        work = Path(tempfile.mkdtemp(prefix="cv-", dir=parent))
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    work = Path(os.path.abspath(folder)) / WORK_FOLDER
    _private_folder(work)
    with _locked(work):
        yield work


def _private_folder(folder: Path) -> Path:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise CvgenError(f"cannot create the folder {folder} for LaTeX's files: {error.strerror or error}") from None
    if folder.is_symlink() or not folder.is_dir():
        raise CvgenError(f"{folder} is not a folder; remove it, cvgen keeps LaTeX's files there")
    return folder


@contextlib.contextmanager
def _locked(work: Path) -> Iterator[None]:
    """Hold the work folder's lock: two builds into one folder would overwrite each other's files."""
    try:
        descriptor = os.open(work / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        raise CvgenError(f"cannot lock the LaTeX work folder {work}: {error.strerror or error}") from None
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise CvgenError(f"another cvgen has been compiling LaTeX in {work} for "
                                     f"{LOCK_WAIT_SECONDS} s; wait for it or stop it") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write a file for latexmk, unless it is already there: latexmk takes a file whose size and modification
    time (in whole seconds) are unchanged for unchanged, so a new text gets another second."""
    try:
        before = path.stat()
        if path.read_bytes() == data:
            return
    except OSError:
        before = None
    path.write_bytes(data)
    second = 1_000_000_000
    if before is not None and path.stat().st_mtime_ns // second == before.st_mtime_ns // second:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns - second))


# --- compiling -----------------------------------------------------------------------------------------------------


def _compile(work: Path, tex: str, engine: str, seeds: _AuxSeeds) -> subprocess.CompletedProcess[str]:
    """Run latexmk, from the cached format of the document's preamble when there is one, else building it."""
    formats = _Formats.of(tex, engine)
    fmt = formats.ready() if formats else None
    build = formats.build(work) if formats and fmt is None else None
    # After a failed run latexmk may take the folder for up to date (when TeX stopped before its log, say): the
    # next build runs TeX at least once.
    failed = work / ".last-run-failed"
    seeded = seeds.plant(work)
    try:
        output = _run_latexmk(work, engine, fmt, force=failed.exists())
        if fmt is not None and output.returncode != 0 and _FORMAT_FAILURE.search(output.stdout):
            fmt.unlink(missing_ok=True)  # broken or stale: the next build makes it again
            fmt = None
            output = _run_latexmk(work, engine, None, force=True)
        if seeded is not None and output.returncode != 0:
            # The .aux of another document may hold what this one cannot read: once more, without it.
            (work / f"{JOB_NAME}.aux").unlink(missing_ok=True)
            output = _run_latexmk(work, engine, fmt, force=True)
        elif seeded is not None and output.returncode == 0 and _engine_runs(output.stdout, engine) == 1 \
                and _read_or_none(work / f"{JOB_NAME}.aux") != seeded:
            # The one run wrote another .aux than it read (another page count), and latexmk, which had no record of
            # the planted file, did not always notice: the run a first build needs, made sure of here.
            again = _run_latexmk(work, engine, fmt, force=True)
            output = subprocess.CompletedProcess(again.args, again.returncode, output.stdout + again.stdout,
                                                 (output.stderr or "") + (again.stderr or ""))
        if build:
            build.wait()
    except BaseException:  # a timeout, an interrupt: no TeX is left running
        failed.touch()
        if build:
            build.cancel()
        raise
    if output.returncode != 0:
        failed.touch()
    else:
        failed.unlink(missing_ok=True)
    return output


def _engine_runs(stdout: str, engine: str) -> int:
    """How many times latexmk ran the engine, from what it printed."""
    return sum(run == engine for run in _ENGINE_RUN.findall(stdout))


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _run_latexmk(work: Path, engine: str, fmt: Path | None, force: bool) -> subprocess.CompletedProcess[str]:
    command = [
        "latexmk", "-norc", ENGINE_OPTIONS[engine], "-interaction=nonstopmode", "-halt-on-error",
        "-file-line-error", "-no-shell-escape",
    ]
    if fmt is not None:
        command.append(f"-{engine}={engine} -fmt={shlex.quote(str(fmt.with_suffix('')))} %O %S")
    if force:
        command.append("-g")
    command.append(f"{JOB_NAME}.tex")
    try:
        return _run(command, work)
    except subprocess.TimeoutExpired:
        raise CvgenError(f"LaTeX ({engine}) took longer than {TIMEOUT_SECONDS} s and was stopped") from None


def _sandbox(work: Path) -> dict[str, str]:
    environment = dict(os.environ)
    # Paranoid file access: TeX reads and writes only below the working folder (plus its own trees), and
    # runs no shell commands, whatever the document says.
    environment.update({"openin_any": "p", "openout_any": "p", "shell_escape": "f", "TEXMFOUTPUT": str(work)})
    environment["max_print_line"] = "100000"  # log lines unwrapped, so messages are read whole
    environment["MKTEXFMT"] = "0"  # a format that is missing is an error, not a reason to build TeX's own
    return environment


def _run(command: list[str], work: Path, started: list[subprocess.Popen[str]] | None = None,
         ) -> subprocess.CompletedProcess[str]:
    """Run a TeX command in `work`, sandboxed; stop it and its children after TIMEOUT_SECONDS."""
    process = subprocess.Popen(
        command, cwd=work, env=_sandbox(work), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True,
    )
    if started is not None:
        started.append(process)
    try:
        output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except BaseException:
        _stop(process)
        raise
    return subprocess.CompletedProcess(command, process.returncode, output, None)


def _stop(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # latexmk's engine runs are its children: end the whole group
    process.communicate()


# --- the .aux a new work folder starts with -------------------------------------------------------------------------


@dataclass(frozen=True)
class _AuxSeeds:
    """The .aux of the last build of a document, and of the last one with its preamble, kept in the cache.

    A first build reads no .aux, so its page references ("page 1/3") are unknown and latexmk runs TeX again. From
    an earlier build's .aux, one run is enough whenever that run writes the .aux back unchanged, which latexmk
    checks, as always, before it stops: the run has then read what a second run would read. A seed that does not
    fit (another page count, say) costs nothing: latexmk runs TeX again, as it would have.
    """

    document: Path
    preamble: Path

    @classmethod
    def of(cls, tex: str, engine: str) -> _AuxSeeds:
        """The seeds of a document, keyed by its text and by its preamble (which loads what the .aux calls)."""
        start = tex.find("\\begin{document}")
        folder = aux_seed_folder()
        return cls(folder / f"{engine}-{_digest(engine, tex)}.aux",
                   folder / f"{engine}-{_digest(engine, tex[:start] if start >= 0 else tex)}-preamble.aux")

    def plant(self, work: Path) -> bytes | None:
        """Start a work folder that holds no earlier run with the best seed there is; the seed planted, if any."""
        aux = work / f"{JOB_NAME}.aux"
        if aux.exists() or (work / f"{JOB_NAME}.fdb_latexmk").exists():
            return None
        for seed in (self.document, self.preamble):
            try:
                data = seed.read_bytes()
                aux.write_bytes(data)
                # Dated two seconds back: latexmk takes a file whose time and size are unchanged for unchanged,
                # and the .aux TeX writes in the same second, for a page count of the same width, would pass for
                # the seed; latexmk then skipped the second run the new .aux asks for (one build in eight).
                past = time.time_ns() - 2_000_000_000
                os.utime(aux, ns=(past, past))
            except OSError:
                continue
            return data
        return None

    def keep(self, work: Path) -> None:
        """Keep the .aux of a successful build as the seed of this document and of its preamble."""
        try:
            data = (work / f"{JOB_NAME}.aux").read_bytes()
            for seed in (self.document, self.preamble):
                _save_in_cache(seed, data, AUX_SEEDS_KEPT)
        except (OSError, CvgenError):
            pass  # no seed next time (no room in the cache, say): a first build runs TeX twice


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:32]


# --- the precompiled preamble --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Formats:
    """The cached format of one preamble for one engine: ready to use, being built, or known not to build."""

    engine: str
    preamble: str
    path: Path

    @classmethod
    def of(cls, tex: str, engine: str) -> _Formats | None:
        """The format for a document's preamble, or None when the document marks none or TeX lacks mylatexformat."""
        end = tex.find(f"\n{DUMP_MARKER}\n")
        if end < 0 or end > tex.find("\\begin{document}"):
            return None
        preamble = tex[: end + len(DUMP_MARKER) + 2]
        key = _format_key(preamble, engine)
        return cls(engine, preamble, format_folder() / f"{engine}-{key}.fmt") if key else None

    def ready(self) -> Path | None:
        """The format file, when a build has made it."""
        try:
            # Recently used, so kept when the cache is pruned: the access time, as latexmk reads the file again
            # when its modification time changes.
            os.utime(self.path, ns=(time.time_ns(), self.path.stat().st_mtime_ns))
        except OSError:
            return None
        return self.path

    def build(self, work: Path) -> _FormatBuild | None:
        """Start building the format beside the document's compile, unless it failed to build before."""
        if self.path.with_suffix(".failed").exists():
            return None
        build = _FormatBuild(self, work / "format")
        build.start()
        return build


def hyphenation_warnings(language: str) -> list[str]:
    """Said when TeX here has no hyphenation patterns for the CV's language (the LaTeX PDF then breaks no word)."""
    from cvgen.locales import hyphenation

    patterns = hyphenation(language)
    if patterns is None:
        return []
    try:
        found = subprocess.run(["kpsewhich", patterns.file], capture_output=True, text=True, timeout=30,
                               check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        found = ""
    if found:
        return []
    return [f"TeX here has no {patterns.patterns} hyphenation patterns (Debian's {patterns.package}): the LaTeX PDF "
            "breaks no word at the end of a line"]


def _format_key(preamble: str, engine: str) -> str | None:
    """A hash of the preamble, the engine and the TeX files a format depends on; None without mylatexformat."""
    kpse_engine = {"pdflatex": "pdftex", "xelatex": "xetex"}[engine]
    try:
        found = subprocess.run(
            ["kpsewhich", f"-engine={kpse_engine}", f"-progname={engine}", f"{engine}.fmt", "mylatexformat.ltx"],
            capture_output=True, text=True, timeout=30, check=False,
        ).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return None
    if len(found) != 2:
        return None
    digest = hashlib.sha256()
    for part in (engine, preamble, _FORMAT_DRIVER, _FORMAT_STORAGE):
        digest.update(part.encode() + b"\0")
    for path in (os.path.realpath(shutil.which(engine) or engine), *found):  # TeX updates change these files
        info = os.stat(path)
        digest.update(f"{path}\0{info.st_mtime_ns}\0{info.st_size}\0".encode())
    return digest.hexdigest()[:32]


class _FormatBuild:
    """Builds a format in a thread, beside the compile that needs it, in a folder of its own."""

    def __init__(self, formats: _Formats, folder: Path) -> None:
        self.formats = formats
        self.folder = folder
        self.processes: list[subprocess.Popen[str]] = []
        self.cancelled = threading.Event()
        self.thread = threading.Thread(target=self._build, name="cvgen-latex-format", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def wait(self) -> None:
        self.thread.join()

    def cancel(self) -> None:
        self.cancelled.set()
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
        self.thread.join()

    def _build(self) -> None:
        engine, target = self.formats.engine, self.formats.path
        shutil.rmtree(self.folder, ignore_errors=True)
        try:
            self.folder.mkdir(mode=0o700)
            (self.folder / f"{JOB_NAME}.tex").write_text(self.formats.preamble, encoding="utf-8")
            for step in ("probe", "dump") if engine == "xelatex" else ("plain",):
                driver = rf"\def\cvgenstep{{{step}}}{_FORMAT_DRIVER}"
                (self.folder / f"cvgen-{step}.tex").write_text(driver, encoding="utf-8")
                if self.cancelled.is_set():
                    return
                output = _run([engine, "-ini", f"-jobname={JOB_NAME}", "-interaction=nonstopmode", "-halt-on-error",
                               "-no-shell-escape", f"&{engine}", "mylatexformat.ltx", f"cvgen-{step}.tex"],
                              self.folder, self.processes)
                if output.returncode != 0:
                    if not self.cancelled.is_set():  # remembered, so later builds do not try again
                        _save_in_cache(target.with_suffix(".failed"), output.stdout[-4000:].encode())
                    return
            _save_in_cache(target, _uncompressed((self.folder / f"{JOB_NAME}.fmt").read_bytes()))
        except (OSError, CvgenError, subprocess.TimeoutExpired):
            return  # no format this time (no room in the cache, say): the document compiles without one
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _uncompressed(fmt: bytes) -> bytes:
    """A format as TeX reads it, not gzipped: TeX's zlib reads a plain file as it is, and inflating the gzipped
    one (about 30 MB) took most of the instructions of a run on a CV."""
    if fmt[:2] != b"\x1f\x8b":
        return fmt
    return zlib.decompress(fmt, wbits=zlib.MAX_WBITS | 16)  # 16: with gzip's header


def _save_in_cache(path: Path, data: bytes, kept: int = FORMATS_KEPT) -> None:
    """Write a cache file whole or not at all, as builds running side by side may write the same one; keep the
    `kept` most recently used files of its kind (its suffix) in its folder."""
    _private_folder(path.parent)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(path.parent, f"*{path.suffix}", kept)


def _prune(folder: Path, pattern: str, kept: int) -> None:
    """Keep the `kept` most recently used files that match `pattern` (by access time: see _Formats.ready)."""
    used: list[tuple[int, Path]] = []
    for path in folder.glob(pattern):
        with contextlib.suppress(OSError):  # removed meanwhile by a build running beside this one
            used.append((path.stat().st_atime_ns, path))
    for _, path in sorted(used, reverse=True)[kept:]:
        path.unlink(missing_ok=True)


# --- reading the log -------------------------------------------------------------------------------------------------


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
