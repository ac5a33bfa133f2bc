"""The `cvgen` command: parses arguments, runs the pipeline, writes files atomically, reports errors on one screen."""

from __future__ import annotations

import dataclasses
import gc
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cvgen.errors import CvgenError, InputFileError, Origin, Problem, printable
from cvgen.output import is_folder, write_atomically

if TYPE_CHECKING:  # the model and renderers are imported on first use, to keep start-up quick
    from cvgen.importers.homepage import ReportRow
    from cvgen.model import CV
    from cvgen.renderers import RenderOptions
    from cvgen.view import CVView

DEFAULT_CV = Path("data/cv.yaml")
DEFAULT_OUT = Path("out")
# The user's template folders in use and who named them, for template error messages.
_TEMPLATE_FOLDERS: list[tuple[Path, str]] = []
BUILD_OUTPUTS = ("about.md", "cv.html", "cv.pdf", "latex/cv.tex", "latex/cv.pdf")

app = typer.Typer(
    name="cvgen",
    help="A CV compiler for academics: one YAML file → a LaTeX CV, a WeasyPrint PDF and a Jekyll homepage.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class Engine(StrEnum):
    """LaTeX engines `cvgen latex --engine` accepts."""

    auto = "auto"
    pdflatex = "pdflatex"
    xelatex = "xelatex"


class Paper(StrEnum):
    """Paper sizes."""

    a4 = "a4"
    letter = "letter"


CvArgument = Annotated[Path, typer.Argument(help="The CV file.", show_default=True)]
ThemeOption = Annotated[str | None, typer.Option("--theme", help="Theme name (overrides design.theme).")]
TemplatesOption = Annotated[
    list[Path] | None,
    typer.Option("--templates", help="A folder of templates searched before the built-in ones (repeatable)."),
]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


@contextmanager
def _step(what: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    _say(f"{what} ({time.perf_counter() - started:.2f} s)")


def _load(path: Path) -> tuple[CV, Origin]:
    from cvgen.loader import load_cv_file

    return load_cv_file(path)


def _options_for(cv: CV, origin: Origin, theme: str | None, templates: list[Path] | None,
                 paper: str | None = None) -> RenderOptions:
    """The render options of a loaded CV; a template error will name the folder's option or CV line."""
    from cvgen.renderers import RenderOptions

    for folder in templates or []:
        if not is_folder(folder):
            raise InputFileError(printable(str(folder)), [Problem("--templates names no folder")])
    _TEMPLATE_FOLDERS[:] = [(folder, "--templates") for folder in templates or []]
    _TEMPLATE_FOLDERS.extend((Path(folder), origin.place(("design", "templates", index)))
                             for index, folder in enumerate(cv.design.templates))
    return RenderOptions(theme=theme, template_dirs=tuple(templates or ()), paper=paper, origin=origin)


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


def _check_outputs(files: Sequence[Path], *, inputs: Sequence[Path], folders: Sequence[Path] = ()) -> None:
    """Refuse, before anything is read or written, output paths that cannot work or would destroy an input.

    `files` are output files (`-` is standard output), `folders` output folders.
    """
    for path in [*files, *folders]:
        if str(path) in ("", "."):
            raise typer.BadParameter("needs a file or folder name", param_hint="-o")
        if "\x00" in str(path):
            raise typer.BadParameter("a path cannot hold a NUL character", param_hint="-o")
    for path in files:
        if str(path) == "-":
            continue
        if is_folder(path):
            raise CvgenError(f"{printable(str(path))} is a folder; name the output file (e.g. -o {path}/cv.pdf)")
        for source in inputs:
            if _same_file(path, source) or os.path.abspath(path) == os.path.abspath(source):
                raise CvgenError(f"{printable(str(path))} is the file this command reads ({printable(str(source))}); "
                                 "write the output somewhere else")
    for folder in folders:
        if folder.exists() and not is_folder(folder):
            raise CvgenError(f"{printable(str(folder))} is a file, not a folder; name a folder for the outputs")
        for source in inputs:
            for name in BUILD_OUTPUTS:
                if _same_file(folder / name, source):
                    raise CvgenError(f"{printable(str(folder / name))} is the file this command reads; "
                                     "choose another output folder")


def _save(path: Path, data: str | bytes) -> None:
    """Write an output file atomically; a failure (full disk, read-only, no such folder) is a clear error. After
    a Ctrl-C nothing is written, even when a library swallowed the interrupt (a bare `except:`)."""
    if _INTERRUPTED.is_set():
        raise KeyboardInterrupt
    try:
        write_atomically(path, data)
    except OSError as error:
        raise CvgenError(f"cannot write {printable(str(path))}: {error.strerror or error}") from None


def _write_text(text: str, output: Path) -> None:
    if str(output) == "-":
        if sys.stdout is None:
            raise CvgenError("standard output is closed; name an output file with -o")
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as error:  # a closed pipe (`| head`), a full disk behind a redirection
            _silence_stdout()
            raise CvgenError(f"cannot write to standard output: {error.strerror or error}") from None
    else:
        _save(output, text)
        _say(f"wrote {output}")


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's flush at exit does not fail a second time."""
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        os.dup2(descriptor, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _binary_output(output: Path) -> None:
    if str(output) == "-":
        raise typer.BadParameter("a PDF cannot go to standard output; name a file with -o", param_hint="-o")


_INTERRUPTED = threading.Event()  # set by Ctrl-C, checked again before any output is written


def _on_interrupt(signal_number: int, frame: object) -> None:
    """Ctrl-C: remembered, then raised as Python raises it."""
    _INTERRUPTED.set()
    raise KeyboardInterrupt


def _run(action: Callable[[], None]) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_interrupt)
    try:
        action()
    except CvgenError as error:
        _say(f"error: {printable(str(error))}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _say("interrupted; nothing was left half-written")
        raise typer.Exit(130) from None
    except Exception as error:
        if not type(error).__module__.startswith("jinja2"):
            raise  # a bug in cvgen: the traceback is for us
        _say(f"error: {printable(_template_error(error))}")
        raise typer.Exit(1) from None


def _template_error(error: Exception) -> str:
    """A Jinja error in a template (a user's own, with --templates) as `file:line: what went wrong`."""
    filename = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    traceback = error.__traceback__
    while traceback is not None:  # Jinja maps template frames to the template's file and line
        if traceback.tb_frame.f_code.co_filename.endswith(".j2"):
            filename, line = traceback.tb_frame.f_code.co_filename, traceback.tb_lineno
        traceback = traceback.tb_next
    place = f"{filename}:{line}: " if filename else ""
    message = getattr(error, "message", None) or str(error)
    chooser = next((where for folder, where in _TEMPLATE_FOLDERS
                    if filename and Path(filename).resolve().is_relative_to(folder.resolve())), None)
    chosen = f" (a template of the folder named by {chooser})" if chooser else ""
    return f"{place}template error: {message}{chosen}"


@app.command("import")
def import_command(
    homepage: Annotated[Path, typer.Argument(help="The homepage's Markdown page (e.g. _pages/about.md), or the "
                                                  "folder of a whole Jekyll site (its _config.yml in it).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the CV YAML; - for stdout.")] = (
        DEFAULT_CV
    ),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing, different CV file.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="The owner's name, when the page's author lists and "
                                                            "front matter do not give it.")] = None,
) -> None:
    """Extract the CV YAML from an academicpages homepage or a whole Jekyll site (nothing is dropped: what cvgen
    does not understand is kept as raw Markdown, with a warning)."""

    def action() -> None:
        from cvgen.dump import dump_cv
        from cvgen.importers.homepage import import_homepage
        from cvgen.importers.jekyll_site import import_site, is_site

        if is_site(homepage):
            _check_outputs([output], inputs=[homepage / "_config.yml"])
            site = import_site(homepage, name)
            _check_outputs([output], inputs=[homepage / file for file in site.files])  # no file the import read
            for file, warning in site.warnings:
                _say(f"warning: {warning.render(str(homepage / file) if file else str(homepage))}")
            _say(_import_report(site.report))
            for page, rows in site.page_reports:
                _say(f"{page}: " + _import_report(rows))
            _say(f"site: {len(site.files)} files read; {site.conflicts} disagreements between two places")
            cv = site.cv
        else:
            _check_outputs([output], inputs=[homepage])
            result = import_homepage(homepage, name)
            for warning in result.warnings:
                _say(f"warning: {warning.render(str(homepage))}")
            _say(_import_report(result.report))
            cv = result.cv
        text = dump_cv(cv)
        if str(output) != "-" and not force and _differs(output, text):
            raise CvgenError(f"{printable(str(output))} exists and differs from the import; pass --force to "
                             "replace it")
        _write_text(text, output)
        schema_file = output.parent / "cv.schema.json"
        if str(output) != "-" and _is_regular_file(output) and not schema_file.exists():
            _save(schema_file, _schema_text())

    _run(action)


@app.command("site")
def site_command(
    site: Annotated[Path, typer.Argument(help="The Jekyll site's folder, as `cvgen import` read it.")],
    cv: CvArgument = DEFAULT_CV,
) -> None:
    """Write the site's about page, CV page and collection files from the CV, its header into `_config.yml`'s author
    block, and the CV's PDF where the site links it, each atomically; a file that would read the same (as Jekyll
    reads it) is left untouched, and a new entry gets a new collection file."""

    def action() -> None:
        from cvgen.check import check_homepage, collection_file_differences
        from cvgen.renderers import render
        from cvgen.site import config_text, page_cv, site_files
        from cvgen.textfile import read_text_file

        model = _load(cv)[0]
        if model.site is None:
            raise CvgenError(f"{printable(str(cv))} was not imported from a site; use `cvgen markdown` for one page")
        files = site_files(model)
        written, unchanged = [], 0
        for path, text in files.items():
            target = _inside(site, path)
            if target.is_file():
                existing = read_text_file(target, "site file")
                page = page_cv(model, path)
                same = check_homepage(existing, str(target), page) is None if page is not None \
                    else not collection_file_differences(existing, text, str(target))
                if same:
                    unchanged += 1
                    continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _save(target, text)
            written.append(path)
        config = _inside(site, "_config.yml")
        if config.is_file():
            before = read_text_file(config, "site config")
            after = config_text(before, model)
            if after != before:
                _save(config, after)
                written.append("_config.yml")
            else:
                unchanged += 1
        if model.site.cv_pdf is not None:
            pdf = render("pdf", model)
            target = _inside(site, model.site.cv_pdf)
            if target.is_file() and target.read_bytes() == pdf:
                unchanged += 1
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                _save(target, pdf)
                written.append(model.site.cv_pdf)
        for path in written:
            _say(f"wrote {site / path}")
        _say(f"site: {len(written)} files written, {unchanged} unchanged")

    _run(action)


def _import_report(rows: list[ReportRow]) -> str:
    """What import did, part by part: typed sections with their entries, and what it kept as written, and why (to
    fix on the page, or by hand in the YAML)."""
    typed = sum(row.entries for row in rows)
    raw = sum(row.kind == "raw" for row in rows) + sum(len(row.raw_entries) for row in rows)
    lines = [f"import: {typed} entries typed in {sum(row.kind != 'raw' for row in rows)} sections; {raw} parts kept "
             "as written"]
    width = min(max((len(printable(row.section)) for row in rows), default=0), 32)
    for row in rows:
        section = printable(row.section or "(opening text)")
        section = section if len(section) <= 32 else section[:31] + "…"
        what = f"{row.entries} typed" if row.kind != "raw" else f"kept as written: {row.reason}"
        if row.raw_entries:
            what += f", {len(row.raw_entries)} kept as written"
        lines.append(f"  line {row.line:>4}  {section:<{max(width, 14)}}  {row.kind:<12}  {what}")
        lines += [f"  line {line:>4}  {'':<{max(width, 14)}}  {'':<12}    an entry kept as written: {printable(reason)}"
                  for line, reason in row.raw_entries]
    return "\n".join(lines)


def _is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _differs(path: Path, text: str) -> bool:
    """Whether an existing regular file holds something else than `text` (an empty file holds nothing to lose).
    Devices and pipes are never read: reading /dev/zero never ends, reading one's own stdout pipe never returns."""
    if not _is_regular_file(path):
        return False
    try:
        return path.stat().st_size > 0 and path.read_bytes() != text.encode("utf-8")
    except OSError:
        return True


def _schema_text() -> str:
    import json

    from cvgen.model import CV

    schema = CV.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cvgen CV"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _inside(site: Path, path: str) -> Path:
    """A file of the site to write: inside the site's folder once links are followed (a symbolic link in the site
    cannot send cvgen to write elsewhere)."""
    target = site / path
    root = site.resolve()
    if not target.resolve().is_relative_to(root):
        raise CvgenError(f"{printable(str(target))} leads outside the site's folder {printable(str(site))}; "
                         "cvgen writes only inside it")
    return target


@app.command("check")
def check_command(
    homepage: Annotated[Path, typer.Argument(help="The homepage's Markdown page, or a Jekyll site's folder.")],
    cv: CvArgument = DEFAULT_CV,
) -> None:
    """Exit 0 when the homepage (or every file of the site) is what the CV generates; exit 1 with a report by file,
    section and entry when they have drifted (for a CI job in the homepage's repository)."""

    def action() -> None:
        from cvgen.check import check_homepage, check_site
        from cvgen.textfile import read_text_file

        model = _load(cv)[0]
        if homepage.is_dir():
            if model.site is None:
                raise CvgenError(f"{printable(str(cv))} was not imported from a site; give the homepage's page to "
                                 "check, or import the site with `cvgen import SITE_DIR`")
            report = check_site(homepage, model)
        else:
            report = check_homepage(read_text_file(homepage, "homepage"), str(homepage), model)
        if report is not None:
            _say(report)
            raise typer.Exit(1)
        _say(f"{homepage} is what {cv} generates")

    _run(action)


@app.command("schema")
def schema_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write it; - for stdout.")] = Path("-"),
) -> None:
    """Print the JSON Schema of the CV YAML (editors use it for completion and checking)."""
    _run(lambda: _write_text(_schema_text(), output))


@app.command("markdown")
def markdown_command(
    cv: CvArgument = DEFAULT_CV,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output file; - for stdout.")] = (
        DEFAULT_OUT / "about.md"
    ),
    templates: TemplatesOption = None,
) -> None:
    """Write the homepage's Markdown page (front matter included) from the CV."""

    def action() -> None:
        from cvgen.renderers import render

        _check_outputs([output], inputs=[cv])
        cv_model, origin = _load(cv)
        _write_text(render("markdown", cv_model, _options_for(cv_model, origin, None, templates)), output)

    _run(action)


@app.command("html")
def html_command(
    cv: CvArgument = DEFAULT_CV,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output file; - for stdout.")] = (
        DEFAULT_OUT / "cv.html"
    ),
    theme: ThemeOption = None,
    templates: TemplatesOption = None,
) -> None:
    """Write the CV as a standalone HTML page (the PDF's HTML, with its stylesheet inlined)."""

    def action() -> None:
        from cvgen.renderers import render

        _check_outputs([output], inputs=[cv])
        cv_model, origin = _load(cv)
        _write_text(render("html", cv_model, _options_for(cv_model, origin, theme, templates)), output)

    _run(action)


def _warn(view: CVView, origin: Origin) -> None:
    """Say what the PDFs leave out of the CV (Liquid in raw Markdown), naming the file, line and field."""
    for warning in view.warnings:
        _say(f"warning: {origin.place(warning.path)}, {warning.message}")


def write_weasyprint_pdf(cv: CV, options: RenderOptions, view: CVView, output: Path, *,
                         document: str | None = None) -> None:
    """Typeset the CV with WeasyPrint into `output` (from its HTML `document`, when made already)."""
    from cvgen.pdf import pdf_warnings, render_pdf

    for warning in pdf_warnings("\n".join(cv.all_text())):
        _say(f"warning: {warning}")
    _save(output, render_pdf(cv, options, view=view, document=document))
    _say(f"wrote {output}")


@app.command("pdf")
def pdf_command(
    cv: CvArgument = DEFAULT_CV,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output PDF file.")] = DEFAULT_OUT / "cv.pdf",
    theme: ThemeOption = None,
    templates: TemplatesOption = None,
    paper: Annotated[Paper | None, typer.Option("--paper", help="Paper size (overrides design.paper).")] = None,
) -> None:
    """Typeset the CV as a PDF with WeasyPrint (HTML + CSS)."""
    _binary_output(output)

    def action() -> None:
        from cvgen.view import build_view

        _check_outputs([output], inputs=[cv])
        cv_model, origin = _load(cv)
        view = build_view(cv_model)
        _warn(view, origin)
        options = _options_for(cv_model, origin, theme, templates, paper.value if paper else None)
        write_weasyprint_pdf(cv_model, options, view, output)

    _run(action)


@app.command("png")
def png_command(
    cv: CvArgument = DEFAULT_CV,
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the PNG files.")] = DEFAULT_OUT / "png",
    pages: Annotated[int | None, typer.Option("--pages", min=1, help="Only the first N pages.")] = None,
    resolution: Annotated[int, typer.Option("--resolution", min=20, max=600, help="Pixels per inch.")] = 100,
    theme: ThemeOption = None,
    templates: TemplatesOption = None,
) -> None:
    """PNG previews of the WeasyPrint PDF's pages (cv-1.png, cv-2.png, …), for READMEs and quick looks."""

    def action() -> None:
        from cvgen.pdf import render_pdf
        from cvgen.preview import pdf_to_pngs

        _check_outputs([], inputs=[cv], folders=[output])
        cv_model, origin = _load(cv)
        options = _options_for(cv_model, origin, theme, templates)
        images = pdf_to_pngs(render_pdf(cv_model, options), resolution=resolution, last=pages)
        for number, image in enumerate(images, start=1):
            _save(output / f"cv-{number}.png", image)
        _say(f"wrote {len(images)} page(s) to {output}")

    _run(action)


def write_latex(cv: CV, options: RenderOptions, view: CVView, output: Path, compile_pdf: bool) -> None:
    """Write the LaTeX CV into `output` and, with `compile_pdf`, compile it beside it."""
    from cvgen.renderers.latex import choose_engine, latex_files, render

    engine = options.engine or choose_engine(cv)
    tex = render(cv, options, engine=engine, view=view)
    files = latex_files(tex)  # the pictures of colour emoji, which the document names by relative path
    if str(output) != "-":
        for name, data in files.items():
            _save(output.parent / name, data)
    if not compile_pdf:
        _write_text(tex, output)
        return
    from cvgen.fonts import missing_character_warnings
    from cvgen.latexmk import compile_latex

    for warning in missing_character_warnings("\n".join(cv.all_text()), "the LaTeX PDF shows their code points",
                                              latex=True):
        _say(f"warning: {warning}")

    pdf = compile_latex(tex, engine, output.parent, files)  # TeX's work folder is kept there, for the next build
    _write_text(tex, output)
    pdf_path = output.with_suffix(".pdf")
    _save(pdf_path, pdf)
    _say(f"wrote {pdf_path} ({engine})")


@app.command("latex")
def latex_command(
    cv: CvArgument = DEFAULT_CV,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output .tex file; - for stdout.")] = (
        DEFAULT_OUT / "latex" / "cv.tex"
    ),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also compile it with latexmk into a PDF beside it.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="LaTeX engine; auto picks xelatex for CJK.")] = (
        Engine.auto
    ),
    theme: ThemeOption = None,
    templates: TemplatesOption = None,
) -> None:
    """Write the CV as LaTeX; with --pdf also compile it with latexmk."""
    if pdf:
        _binary_output(output)

    def action() -> None:
        from cvgen.view import build_view

        _check_outputs([output, output.with_suffix(".pdf")] if pdf else [output], inputs=[cv])
        cv_model, origin = _load(cv)
        view = build_view(cv_model)
        if pdf:
            _warn(view, origin)
        options = _options_for(cv_model, origin, theme, templates)
        if engine is not Engine.auto:
            options = dataclasses.replace(options, engine=engine.value)
        write_latex(cv_model, options, view, output, pdf)

    _run(action)


@app.command("build")
def build_command(
    cv: CvArgument = DEFAULT_CV,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = DEFAULT_OUT,
) -> None:
    """Build every output from the CV into one folder: about.md, cv.html, cv.pdf, latex/cv.tex and latex/cv.pdf."""

    def action() -> None:
        from cvgen.renderers import html, render
        from cvgen.view import build_view

        files = [out / "about.md", out / "cv.html", out / "cv.pdf", out / "latex" / "cv.tex", out / "latex" / "cv.pdf"]
        _check_outputs(files, inputs=[cv], folders=[out])
        cv_model, origin = _load(cv)  # once: every output is made from this CV
        view = build_view(cv_model)  # and from this view
        _warn(view, origin)
        options = _options_for(cv_model, origin, None, None)
        with _step("markdown"):
            _write_text(render("markdown", cv_model, options), out / "about.md")
        with _step("html"):
            document = html.render(cv_model, options, view=view)  # the web page's and the PDF's HTML
            _write_text(html.inline_stylesheet(document, cv_model, options), out / "cv.html")
        with _step("pdf (WeasyPrint)"):
            write_weasyprint_pdf(cv_model, options, view, out / "cv.pdf", document=document)
        with _step("latex --pdf"):
            write_latex(cv_model, options, view, out / "latex" / "cv.tex", True)

    _run(action)


def main() -> None:
    """Entry point of the `cvgen` console script.

    A command runs once and the process ends, so Python's cycle collector stays off: its scans of the millions of
    objects typesetting makes free almost nothing, and at exit it would walk them all once more only to free them
    (together 7% of `cvgen pdf` on a 1000-paper CV; the same peak memory). A command that keeps running (a watch
    loop) must turn it back on.
    """
    gc.disable()
    app()


if __name__ == "__main__":
    main()
