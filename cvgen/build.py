"""`cvgen build`: every output of a CV at once, each in a process of its own, and only those whose inputs changed.

An output (`latex`, `pdf`, `html`, `markdown`, `site`) is the files one step makes from the CV. Its inputs are the
CV's content, the template folders it reads, the command's options, cvgen itself and, for the PDFs, the installed
fonts; their digest is the output's key. A record in cvgen's cache keeps, per CV file and output folder, each
output's key and the size and time of every file it wrote: an output whose key and files are as recorded is not
made again. Deciding that needs neither the CV's model nor Jinja, so a build with nothing to do ends at once.

The outputs to make are forked from one process that has read the CV and built its view, so each starts at once;
a failure in one (a LaTeX error, a missing font) leaves the others to finish. A child ends when the build does:
it is told by the kernel when its parent dies (even by SIGKILL), and then, as after Ctrl-C, it stops TeX and
removes its temporary file before it exits. Every file is written atomically (`cvgen.output.save`), so an output
is the previous one or the new one, whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cvgen
from cvgen.errors import CvgenError, printable
from cvgen.latexmk import cache_folder
from cvgen.output import save

if TYPE_CHECKING:
    from cvgen.errors import Origin
    from cvgen.model import CV
    from cvgen.renderers import RenderOptions
    from cvgen.reuse import Reuse
    from cvgen.view import CVView

# What `cvgen build` makes when the CV names nothing: every format; a CV read from a whole site writes the site in
# place of the about page's Markdown.
DEFAULT_OUTPUTS = ("latex", "pdf", "html", "markdown")
SITE_OUTPUTS = ("latex", "pdf", "html", "site")
VARIANT_OUTPUTS = ("latex", "pdf", "html")  # a variant is a CV to send, not the homepage
# The order outputs start in: the quick ones first, so that `cvgen watch` rewrites the Markdown and the web page at
# once (the Markdown before the web page, whose HTML this process renders before its process starts: the Markdown's
# process renders meanwhile, on another core); the typesetting ones then run at a lower priority (`_TYPESETTING`),
# so the quick ones keep a core.
_START_ORDER = ("markdown", "html", "site", "pdf", "latex")
_TYPESETTING = frozenset({"pdf", "latex"})
_NICENESS = 5
RECORD_VERSION = 1
_PACKAGE = Path(cvgen.__file__).resolve().parent
# Where fontconfig finds fonts (a font installed or removed changes its folder's time), and TeX's file databases.
_FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
_TEX_DATABASES = ("/usr/share/texlive/texmf-dist/ls-R", "/usr/share/texmf/ls-R", "/var/lib/texmf/ls-R")


@dataclass(frozen=True)
class Output:
    """One output of a build: its name, the template folders it reads, and whether the fonts are among its inputs."""

    name: str
    folders: tuple[str, ...]
    fonts: bool


@dataclass
class Result:
    """What became of one output: made, up to date, or failed (and why)."""

    name: str
    status: str  # "made", "failed" or "interrupted" (an output not made is up to date)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    warnings: list[str] = field(default_factory=list)


# --- keys and the record ------------------------------------------------------------------------------------------


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


_SOURCE: list[str] = []


def source_digest() -> str:
    """cvgen itself: its version and every module's bytes (an edited checkout is another cvgen)."""
    if not _SOURCE:
        hashed = hashlib.sha256(cvgen.__version__.encode())
        for path in sorted(_PACKAGE.rglob("*.py")):
            hashed.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
        _SOURCE.append(hashed.hexdigest())
    return _SOURCE[0]


def folder_digest(folder: str) -> str:
    """Every file in a folder tree, by relative path, size and time (as make judges a file; reading them all would
    cost more than a build with nothing to do may take); an absent folder has a digest of its own."""
    root = Path(folder)
    seen: list[tuple[str, int, int]] = []
    for base, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(base, name)
            with contextlib.suppress(OSError):
                status = os.stat(path)
                seen.append((os.path.relpath(path, root), status.st_size, status.st_mtime_ns))
    return _digest(str(root), root.is_dir(), seen)


def fonts_digest() -> str:
    """The installed fonts, as the times of the folders fontconfig reads, and TeX's file databases."""
    seen: list[tuple[str, int]] = []
    for top in _FONT_FOLDERS:
        for base, folders, _ in os.walk(os.path.expanduser(top)):
            folders.sort()
            with contextlib.suppress(OSError):
                seen.append((base, os.stat(base).st_mtime_ns))
    for database in _TEX_DATABASES:
        with contextlib.suppress(OSError):
            seen.append((database, os.stat(database).st_mtime_ns))
    return _digest(seen)


def output_key(output: Output, content: str, options: str, fonts: str) -> str:
    """An output's key: everything it is made from."""
    return _digest(output.name, source_digest(), content, options, [folder_digest(folder) for folder in output.folders],
                   fonts if output.fonts else "")


def file_stamps(files: Sequence[Path]) -> dict[str, list[int]]:
    """Each file's size and time, by absolute path; a missing file has none."""
    stamps = {}
    for path in files:
        with contextlib.suppress(OSError):
            status = os.stat(path)
            stamps[str(Path(path).resolve())] = [status.st_size, status.st_mtime_ns]
    return stamps


def _stamps_hold(recorded: dict[str, list[int]]) -> bool:
    return bool(recorded) and file_stamps([Path(path) for path in recorded]) == recorded


@dataclass
class Record:
    """The last build of one CV file into one folder: the CV's bytes, its content, and each output's key and files."""

    path: Path
    cv_bytes: str = ""
    content: str = ""
    options: str = ""
    names: list[str] = field(default_factory=list)  # the outputs the build makes
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # those made, with their keys and files

    @classmethod
    def of(cls, cv_file: Path, request: str) -> Record:
        """The record of a CV file built as `request` asks (its folder, variant…), empty when there is none."""
        path = cache_folder() / "builds" / f"{_digest(str(cv_file.resolve()), request)[:32]}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
            return cls(path)
        return cls(path, str(data.get("cv_bytes", "")), str(data.get("content", "")), str(data.get("options", "")),
                   list(data.get("names", [])), dict(data.get("outputs", {})))

    def save(self) -> None:
        """Kept for the next build; a cache that cannot be written only costs that build its shortcut."""
        data = {"version": RECORD_VERSION, "cv_bytes": self.cv_bytes, "content": self.content,
                "options": self.options, "names": self.names, "outputs": self.outputs}
        with contextlib.suppress(OSError, CvgenError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            save(self.path, json.dumps(data, indent=1))

    def current(self, name: str, key: str) -> bool:
        """Whether an output was made with this key and its files are as it left them."""
        entry = self.outputs.get(name)
        return bool(entry) and entry.get("key") == key and _stamps_hold(entry.get("files", {}))  # type: ignore[union-attr]

    def all_current(self, cv_bytes: str) -> bool:
        """Whether every output of the last build is current, without reading the CV: its bytes are the ones the
        record knows, so its content, outputs and template folders are too."""
        if not self.names or cv_bytes != self.cv_bytes or set(self.names) != set(self.outputs):
            return False
        fonts = fonts_digest() if any(entry.get("fonts") for entry in self.outputs.values()) else ""
        return all(self.current(name, output_key(Output(name, tuple(entry.get("folders", ())), bool(
            entry.get("fonts"))), self.content, self.options, fonts)) for name, entry in self.outputs.items())

    def keep(self, output: Output, key: str, files: Sequence[Path]) -> None:
        """Remember an output just made."""
        self.outputs[output.name] = {"key": key, "folders": list(output.folders), "fonts": output.fonts,
                                     "files": file_stamps(files)}


def file_digest(path: Path) -> str:
    """A file's bytes, as a digest ("" for a file that cannot be read: the build reads it and says why)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def content_digest(cv: CV) -> str:
    """The CV's content: its data, whatever the YAML's comments, order of keys or anchors."""
    return _digest(cv.model_dump())


# --- running the outputs side by side -----------------------------------------------------------------------------


_PR_SET_PDEATHSIG = 1


def _end_with_parent(parent: int) -> None:
    """In a child: an interrupt raised at the first SIGINT or SIGTERM (the kernel sends one when the parent dies,
    on Linux), so the child cleans up; later ones are let pass, so the clean-up is not cut short. The signals
    were blocked across the fork (see `Running`) and are let through here, once the handler is in place."""
    stopping: list[int] = []

    def stop(signal_number: int, frame: object) -> None:
        if not stopping:
            stopping.append(signal_number)
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if os.getppid() != parent:  # the parent died before the kernel was asked
        raise KeyboardInterrupt


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _child(name: str, make: Callable[[str], tuple[list[Path], list[str]]], explain: Callable[[Exception], str | None],
           parent: int, pipe: multiprocessing.connection.Connection) -> None:
    """One output made in a forked process, its result sent to the parent. An interrupt while the result is sent
    (the parent stopping us as we finish) ends the process quietly: the parent reads no result and knows why."""
    started = time.perf_counter()
    try:
        try:
            _end_with_parent(parent)
            if name in _TYPESETTING:
                os.nice(_NICENESS)  # TeX, started from here, inherits it
            files, warnings = make(name)
            result = Result(name, "made", files, time.perf_counter() - started, warnings=warnings)
        except CvgenError as error:
            result = Result(name, "failed", seconds=time.perf_counter() - started, message=str(error))
        except KeyboardInterrupt:
            result = Result(name, "interrupted", seconds=time.perf_counter() - started)
        except Exception as error:  # a user's template error, said as `explain` says it; else a bug in cvgen,
            message = explain(error)  # whose traceback is for us (and the other outputs still finish)
            result = Result(name, "failed", seconds=time.perf_counter() - started, message=message or (
                "internal error (please report it):\n" + traceback.format_exc()))
        pipe.send(result)
    except (KeyboardInterrupt, OSError):
        os._exit(130)


@dataclass
class _Child:
    name: str
    process: multiprocessing.process.BaseProcess
    pipe: multiprocessing.connection.Connection
    started: float


class Running:
    """Outputs being made, each in a forked process of its own."""

    def __init__(self, names: Sequence[str], make: Callable[[str], tuple[list[Path], list[str]]], *,
                 explain: Callable[[Exception], str | None] = lambda error: None,
                 before: Callable[[str], None] = lambda name: None) -> None:
        """Start making each named output. `before(name)` runs in this process just before an output's process
        starts (to prepare what it shares with the next); `explain` says what went wrong where an output failed
        with an exception that is not a CvgenError (a user's template), or gives None."""
        self.names = list(names)
        self.children: list[_Child] = []
        self.results: dict[str, Result] = {}
        context = multiprocessing.get_context("fork")
        try:
            for name in names:
                before(name)
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(name, make, explain, os.getpid(), writer),
                                          name=f"cvgen {name}")
                blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)  # until the child's handler is in
                try:
                    process.start()
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                writer.close()
                self.children.append(_Child(name, process, reader, time.perf_counter()))
        except KeyboardInterrupt:
            self.stop()
            raise

    @property
    def done(self) -> bool:
        """Whether every output has ended."""
        return len(self.results) == len(self.children)

    def poll(self, timeout: float | None, *, wake: int | None = None) -> list[Result]:
        """The outputs that end within `timeout` seconds (None: wait until one does), or until the file
        descriptor `wake` can be read."""
        waiting = {child.pipe: child for child in self.children if child.name not in self.results}
        ended = []
        woken = [] if wake is None else [wake]
        for ready in multiprocessing.connection.wait([*waiting, *woken], timeout) if waiting else []:
            if ready == wake:
                continue
            assert isinstance(ready, multiprocessing.connection.Connection)
            child = waiting[ready]
            try:
                result: Result = ready.recv()
            except (EOFError, OSError):  # it died without a word: a signal, or the system ran out of memory
                child.process.join()
                result = Result(child.name, "failed", seconds=time.perf_counter() - child.started,
                                message=f"its process ended unexpectedly (exit code {child.process.exitcode})")
            child.process.join()
            self.results[child.name] = result
            ended.append(result)
        return ended

    def collect(self, finished: Callable[[Result], object] = lambda result: None) -> list[Result]:
        """Wait for every output, reporting each as it ends; an interrupt waits for every child to clean up, then is
        raised again."""
        try:
            while not self.done:
                for result in self.poll(None):
                    finished(result)
        except KeyboardInterrupt:
            self.stop()
            raise
        return [self.results[name] for name in self.names]

    def stop(self) -> None:
        """Every child still at work told to stop (each stops its TeX and removes its temporary file), and waited
        for; what it was making is left as it was."""
        for child in self.children:
            if child.name not in self.results and child.process.is_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.process.pid or 0, signal.SIGTERM)
        for child in self.children:
            child.process.join()
            child.pipe.close()
            self.results.setdefault(child.name, Result(child.name, "interrupted"))


# --- what each output writes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Where a build writes and what: the output folder, the site's folder, the outputs, the user's template
    folders."""

    out: Path
    site: Path | None
    names: tuple[str, ...]
    templates: tuple[str, ...] = ()

    def files(self, name: str) -> list[Path]:
        """The files an output writes in the output folder (the site's are the ones its writer decides)."""
        return {"markdown": [self.out / "about.md"], "html": [self.out / "cv.html"], "pdf": [self.out / "cv.pdf"],
                "latex": [self.out / "latex" / "cv.tex", self.out / "latex" / "cv.pdf"]}.get(name, [])

    def output(self, name: str) -> Output:
        """An output with the template folders it reads."""
        from cvgen.templates import builtin_templates_dir

        formats = {"latex": ("latex",), "pdf": ("html",), "html": ("html",), "markdown": ("markdown",),
                   "site": ("markdown", "html")}[name]
        folders = tuple(str(builtin_templates_dir() / format_name) for format_name in formats)
        return Output(name, folders + self.templates, fonts=name in ("latex", "pdf", "site"))

    def keys(self, content: str) -> dict[str, str]:
        """Each output's key, for a CV of this content."""
        fonts = fonts_digest()
        return {name: output_key(self.output(name), content, self.options, fonts) for name in self.names}

    @property
    def options(self) -> str:
        """What the command line and the CV's settings choose besides the CV's content, as one text."""
        return _digest(str(self.out.resolve()), str(self.site.resolve()) if self.site else "", self.names)


def plan_build(cv: CV, cv_file: Path, out: Path | None, default_out: Path, user_templates: Sequence[Path],
               variant: str | None = None) -> Plan:
    """The plan of a build: the output folder (`-o`, else the CV's `output.folder`, relative to the CV file, else
    `default_out`; a variant's in a folder of its name there), the site's folder, and the outputs the CV or the
    variant names (else the default ones)."""
    from cvgen.variants import find_variant

    home = cv_file.parent
    folder = out if out is not None else home / cv.output.folder if cv.output.folder else default_out
    templates = tuple(str(folder) for folder in user_templates)
    if variant is not None:
        formats = find_variant(cv, variant).formats
        if formats and "site" in formats:
            raise CvgenError(f"{printable(str(cv_file))}: variants.{variant}.formats names the site, which only the "
                             "whole CV writes")
        return Plan(folder / variant, None, tuple(formats) if formats else VARIANT_OUTPUTS, templates)
    site = home / cv.output.site if cv.output.site else None
    names = tuple(cv.output.formats) if cv.output.formats else SITE_OUTPUTS if site else DEFAULT_OUTPUTS
    if "site" in names and site is None:
        raise CvgenError(f"{printable(str(cv_file))}: output.formats names the site, and output.site names no "
                         "folder; give the Jekyll site's folder there")
    return Plan(folder, site, names, templates)


@dataclass
class Build:
    """One CV being built: its model, view and options, its plan, and what two outputs share."""

    cv: CV
    options: RenderOptions
    plan: Plan
    origin: Origin | None = None
    reuse: Reuse | None = None  # the last build's entry views and web-page values (`cvgen watch`)
    document: str | None = None  # the HTML both the web page and the WeasyPrint PDF are made from
    built_view: CVView | None = None

    @property
    def view(self) -> CVView:
        """The CV's view, built here once, when the first output that reads it is about to start (the Markdown
        does not: its process starts before the view is built)."""
        if self.built_view is None:
            from cvgen.view import build_view

            self.built_view = build_view(self.cv, self.origin, self.reuse.views if self.reuse else None)
        return self.built_view

    def prepare(self, name: str) -> None:
        """Work outputs share, done here once before the first starts: the view, and the HTML of the web page and
        the PDF."""
        if name != "markdown":
            self.view  # noqa: B018 (built here, in this process, so every output's process has it)
        if name in ("html", "pdf") and self.document is None:
            from cvgen.renderers import html

            self.document = html.render(self.cv, self.options, view=self.view,
                                        reuse=self.reuse.written if self.reuse else None)

    def make(self, name: str) -> tuple[list[Path], list[str]]:
        """Write one output (in its own process); its files and its warnings."""
        out = self.plan.out
        if name == "markdown":
            from cvgen.renderers import render

            save(out / "about.md", render("markdown", self.cv, self.options))
            return self.plan.files(name), []
        if name == "html":
            from cvgen.renderers import html

            self.prepare(name)
            assert self.document is not None
            save(out / "cv.html", html.inline_stylesheet(self.document, self.cv, self.options))
            return self.plan.files(name), []
        if name == "pdf":
            self.prepare(name)
            return self.plan.files(name), write_weasyprint_pdf(self.cv, self.options, self.view, out / "cv.pdf",
                                                               document=self.document)
        if name == "latex":
            return self.plan.files(name), write_latex(self.cv, self.options, self.view, out / "latex" / "cv.tex",
                                                      True)
        assert name == "site" and self.plan.site is not None
        written, unchanged = write_site(self.cv, self.plan.site, with_pdf="pdf" not in self.plan.names)
        return [*written, *unchanged], []

    def place_pdf(self, results: list[Result]) -> Path | None:
        """The PDF the site links, copied from the build's own when both were built: one typesetting, not two.
        Returns the file, when written."""
        site = next((result for result in results if result.name == "site" and result.status == "made"), None)
        failed = any(result.name == "pdf" and result.status != "made" for result in results)
        if site is None or failed or self.plan.site is None or self.cv.site is None or self.cv.site.cv_pdf is None:
            return None
        target = inside(self.plan.site, self.cv.site.cv_pdf)
        data = (self.plan.out / "cv.pdf").read_bytes()
        if not (target.is_file() and target.read_bytes() == data):
            target.parent.mkdir(parents=True, exist_ok=True)
            save(target, data)
        site.files.append(target)
        return target


class BuildRun:
    """A build under way: the CV's stale outputs started, each in a process of its own, from one view of it;
    `finish` records what was made."""

    def __init__(self, cv_file: Path, cv: CV, options: RenderOptions, plan: Plan, record: Record, *, force: bool,
                 explain: Callable[[Exception], str | None], origin: Origin | None = None,
                 reuse: Reuse | None = None) -> None:
        record.cv_bytes, record.content, record.options = file_digest(cv_file), content_digest(cv), plan.options
        record.names = list(plan.names)
        self.plan, self.record = plan, record
        self.keys = plan.keys(record.content)
        self.stale = sorted((name for name in plan.names if force or not record.current(name, self.keys[name])),
                            key=_START_ORDER.index)
        self.job = Build(cv, options, plan, origin, reuse)  # every output is made from its one view
        self.running = Running(self.stale, self.job.make, before=self.job.prepare, explain=explain)

    @property
    def view(self) -> CVView:
        """The view every output is made from."""
        return self.job.view

    def finish(self) -> list[Result]:
        """Once every output has ended: the site's PDF placed, and what was made kept in the record."""
        results = [self.running.results[name] for name in self.stale]
        self.job.place_pdf(results)  # the PDF the site links is the one just made
        for result in results:
            if result.status == "made":
                self.record.keep(self.plan.output(result.name), self.keys[result.name], result.files)
            else:
                self.record.outputs.pop(result.name, None)
        for name in [name for name in self.record.outputs if name not in self.plan.names]:
            del self.record.outputs[name]
        self.record.save()
        return results


def write_weasyprint_pdf(cv: CV, options: RenderOptions, view: CVView, output: Path, *,
                         document: str | None = None) -> list[str]:
    """Typeset the CV with WeasyPrint into `output` (from its HTML `document`, when made already); the warnings."""
    from cvgen.pdf import pdf_warnings, render_pdf

    warnings = pdf_warnings("\n".join(cv.all_text()))
    save(output, render_pdf(cv, options, view=view, document=document))
    return warnings


def write_latex(cv: CV, options: RenderOptions, view: CVView, output: Path, compile_pdf: bool) -> list[str]:
    """Write the LaTeX CV into `output` and, with `compile_pdf`, compile it beside it; the warnings."""
    from cvgen.renderers.latex import choose_engine, latex_files, render

    engine = options.engine or choose_engine(cv)
    tex = render(cv, options, engine=engine, view=view)
    files = latex_files(tex)  # the pictures of colour emoji, which the document names by relative path
    for name, data in files.items():
        save(output.parent / name, data)
    if not compile_pdf:
        save(output, tex)
        return []
    from cvgen.fonts import missing_character_warnings
    from cvgen.latexmk import compile_latex, hyphenation_warnings

    warnings = missing_character_warnings("\n".join(cv.all_text()), "the LaTeX PDF shows their code points",
                                          latex=True) + hyphenation_warnings(view.language)
    pdf = compile_latex(tex, engine, output.parent, files)  # TeX's work folder is kept there, for the next build
    save(output, tex)
    save(output.with_suffix(".pdf"), pdf)
    return warnings


def inside(site: Path, path: str) -> Path:
    """A file of the site to write: inside the site's folder once links are followed (a symbolic link in the site
    cannot send cvgen to write elsewhere)."""
    target = site / path
    root = site.resolve()
    if not target.resolve().is_relative_to(root):
        raise CvgenError(f"{printable(str(target))} leads outside the site's folder {printable(str(site))}; "
                         "cvgen writes only inside it")
    return target


def write_site(cv: CV, site: Path, *, with_pdf: bool = True) -> tuple[list[Path], list[Path]]:
    """Write the site's pages, collection files, `_config.yml` author block and (`with_pdf`) linked PDF from the
    CV, each atomically and only where it would read differently (as Jekyll reads it); the files written and those
    left as they were."""
    from cvgen.check import check_homepage, collection_file_differences
    from cvgen.renderers import render
    from cvgen.site import config_text, page_cv, site_files
    from cvgen.textfile import read_text_file

    if cv.site is None:
        raise CvgenError("the CV was not imported from a site; use `cvgen markdown` for one page")
    written: list[Path] = []
    unchanged: list[Path] = []
    for path, text in site_files(cv).items():
        target = inside(site, path)
        if target.is_file():
            existing = read_text_file(target, "site file")
            page = page_cv(cv, path)
            same = check_homepage(existing, str(target), page) is None if page is not None \
                else not collection_file_differences(existing, text, str(target))
            if same:
                unchanged.append(target)
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        save(target, text)
        written.append(target)
    config = inside(site, "_config.yml")
    if config.is_file():
        before = read_text_file(config, "site config")
        after = config_text(before, cv)
        if after != before:
            save(config, after)
            written.append(config)
        else:
            unchanged.append(config)
    if cv.site.cv_pdf is not None and with_pdf:
        data = render("pdf", cv)
        target = inside(site, cv.site.cv_pdf)
        if target.is_file() and target.read_bytes() == data:
            unchanged.append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            save(target, data)
            written.append(target)
    return written, unchanged


__all__ = ["DEFAULT_OUTPUTS", "SITE_OUTPUTS", "Build", "BuildRun", "Output", "Plan", "Record", "Result",
           "content_digest", "file_digest", "fonts_digest", "inside", "output_key", "plan_build", "Running",
           "source_digest", "write_latex", "write_site", "write_weasyprint_pdf"]
