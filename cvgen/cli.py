"""The `cvgen` command: parses arguments, runs the pipeline, writes files atomically, reports errors on one screen."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import re
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

from cvgen.errors import CvgenError, InputFileError, Origin, Problem, display_path, printable
from cvgen.output import INTERRUPTED, is_folder, save

if TYPE_CHECKING:  # the model and renderers are imported on first use, to keep start-up quick
    from cvgen.build import BuildRun, Plan, Record, Result
    from cvgen.importers.homepage import ReportRow
    from cvgen.model import CV, Publication
    from cvgen.renderers import RenderOptions
    from cvgen.reuse import Reuse
    from cvgen.view import CVView

DEFAULT_CV = Path("data/cv.yaml")
DEFAULT_OUT = Path("out")
# The user's template folders in use and who named them, for template error messages.
_TEMPLATE_FOLDERS: list[tuple[Path, str]] = []
BUILD_OUTPUTS = ("about.md", "cv.html", "cv.pdf", "latex/cv.tex", "latex/cv.pdf")  # of `cvgen build`, by default

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


class SourceFormat(StrEnum):
    """What `cvgen import` reads, where the file's extension and content do not say."""

    homepage = "homepage"
    site = "site"
    bibtex = "bibtex"
    jsonresume = "jsonresume"
    rendercv = "rendercv"


class ExportFormat(StrEnum):
    """What `cvgen export` writes."""

    bibtex = "bibtex"
    jsonresume = "jsonresume"
    rendercv = "rendercv"


class Paper(StrEnum):
    """Paper sizes."""

    a4 = "a4"
    letter = "letter"


CvArgument = Annotated[Path, typer.Argument(help="The CV file.", show_default=True)]
ThemeOption = Annotated[str | None, typer.Option("--theme", help="Theme name (overrides design.theme).")]
VariantOption = Annotated[str | None, typer.Option("--variant", help="A variant the CV defines (`variants:`), or "
                                                                   "the built-in `resume`.")]
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


def _load(path: Path, variant: str | None = None, reuse: Reuse | None = None) -> tuple[CV, Origin]:
    """The CV as its outputs show it: in each section's order, and in the shape of a variant when one is named
    (`reuse`: what the last load of it read, for a command that loads it again and again)."""
    from cvgen.loader import load_cv_file
    from cvgen.variants import shape

    cv, origin = load_cv_file(path, variant, reuse)
    if origin.fallbacks:
        _say(f"warning: {_fallback_warning(origin)}")
    shaped, moved = shape(cv, variant, origin)
    return shaped, dataclasses.replace(origin, moved=moved)


def _fallback_warning(origin: Origin) -> str:
    """Which texts written per language lack the CV's language, and what they are shown in instead."""
    shown_in = sorted({language for _, language in origin.fallbacks})
    places = [f"{display_path(path)} (line {origin.line(path)})" for path, _ in origin.fallbacks]
    listed = ", ".join(places[:8]) + (f" and {len(places) - 8} more" if len(places) > 8 else "")
    count = len(places)
    return (f"{printable(origin.source)}: {count} text{'s' if count > 1 else ''} written per language "
            f"{'have' if count > 1 else 'has'} no {origin.language!r} version and {'are' if count > 1 else 'is'} "
            f"shown in {' or '.join(map(repr, shown_in))}: {printable(listed)}")


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
        save(output, text)
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


def _on_interrupt(signal_number: int, frame: object) -> None:
    """Ctrl-C: remembered, then raised as Python raises it."""
    INTERRUPTED.set()
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


def _explain(error: Exception) -> str | None:
    """A template error in a user's template, said as `file:line: what went wrong`; None for anything else."""
    return _template_error(error) if type(error).__module__.startswith("jinja2") else None


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
    homepage: Annotated[Path, typer.Argument(help="The homepage's Markdown page (e.g. _pages/about.md), the folder "
                                                  "of a whole Jekyll site (its _config.yml in it), a JSON Resume "
                                                  "document (.json or .yaml), a RenderCV input (.yaml) or a .bib "
                                                  "file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the CV YAML; - for stdout.")] = (
        DEFAULT_CV
    ),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing, different CV file.")] = False,
    name: Annotated[str | None, typer.Option("--name", "--owner", help="The owner's name, when the page's author "
                                                                       "lists and front matter do not give it; for "
                                                                       "BibTeX, another spelling of it.")] = None,
    source_format: Annotated[SourceFormat | None, typer.Option("--from", help="What the file is (default: by its "
                                                                             "extension and content).")] = None,
) -> None:
    """Extract the CV YAML from an academicpages homepage or a whole Jekyll site (nothing is dropped: what cvgen
    does not understand is kept as raw Markdown, with a warning), from a JSON Resume document (checked against its
    schema) or a RenderCV input, or merge a BibTeX file's papers into the CV."""

    def action() -> None:
        from cvgen.importers import source_format as detected

        kind = source_format.value if source_format else detected(homepage)
        if kind == "bibtex":
            _import_bibtex(homepage, output, name)
            return
        if kind == "site":
            cv = _import_site(homepage, output, name)
        elif kind == "jsonresume":
            cv = _import_jsonresume(homepage, output, name)
        elif kind == "rendercv":
            cv = _import_rendercv(homepage, output, name)
        else:
            from cvgen.importers.homepage import import_homepage

            _check_outputs([output], inputs=[homepage])
            result = import_homepage(homepage, name)
            for warning in result.warnings:
                _say(f"warning: {warning.render(str(homepage))}")
            _say(_import_report(result.report))
            cv = result.cv
        _write_cv(cv, output, force)

    _run(action)


def _write_cv(cv: CV, output: Path, force: bool) -> None:
    """An imported CV written as YAML (refused where a different CV file is there, unless forced), with the schema
    beside it for editors."""
    from cvgen.dump import dump_cv

    text = dump_cv(cv)
    if str(output) != "-" and not force and _differs(output, text):
        raise CvgenError(f"{printable(str(output))} exists and differs from the import; pass --force to replace it")
    _write_text(text, output)
    schema_file = output.parent / "cv.schema.json"
    if str(output) != "-" and _is_regular_file(output) and not schema_file.exists():
        save(schema_file, _schema_text())


def _import_site(site_folder: Path, output: Path, name: str | None) -> CV:
    """A whole Jekyll site as a CV, with what import found said file by file."""
    from cvgen.importers.jekyll_site import import_site, is_site

    if not is_site(site_folder):
        raise CvgenError(f"{printable(str(site_folder))} is not a Jekyll site's folder (no _config.yml in it)")
    _check_outputs([output], inputs=[site_folder / "_config.yml"])
    site = import_site(site_folder, name)
    _check_outputs([output], inputs=[site_folder / file for file in site.files])  # no file the import read
    for file, warning in site.warnings:
        _say(f"warning: {warning.render(str(site_folder / file) if file else str(site_folder))}")
    _say(_import_report(site.report))
    for page, rows in site.page_reports:
        _say(f"{page}: " + _import_report(rows))
    _say(f"site: {len(site.files)} files read; {site.conflicts} disagreements between two places")
    _name_site(site.cv, site_folder, output)
    return site.cv


def _import_jsonresume(source: Path, output: Path, name: str | None) -> CV:
    """A JSON Resume document as a CV, checked against the official schema."""
    from cvgen.importers.jsonresume import import_jsonresume
    from cvgen.textfile import read_text_file

    _check_outputs([output], inputs=[source])
    result = import_jsonresume(read_text_file(source, "JSON Resume"), printable(str(source)),
                               yaml_syntax=source.suffix.casefold() != ".json", name=name)
    if result.renamed:
        _say(f"note: older JSON Resume field names read as the schema's: {', '.join(result.renamed)}")
    sections = ", ".join(f"{printable(heading)} {count}" for heading, count in result.report)
    _say(f"jsonresume: valid against the JSON Resume schema 1.3.1; {sum(count for _, count in result.report)} "
         f"entries typed in {len(result.report)} sections ({sections})")
    if result.not_shown:
        _say(f"note: kept for `cvgen export jsonresume` but not shown in the CV: "
             f"{printable(', '.join(result.not_shown))}")
    return result.cv


def _import_rendercv(source: Path, output: Path, name: str | None) -> CV:
    """A RenderCV input file as a CV."""
    from cvgen.importers.rendercv import import_rendercv
    from cvgen.textfile import read_text_file

    _check_outputs([output], inputs=[source])
    result = import_rendercv(read_text_file(source, "RenderCV"), printable(str(source)), name)
    sections = ", ".join(f"{printable(heading)} {count} ({kind})" for heading, kind, count in result.report)
    _say(f"rendercv: {sum(count for _, _, count in result.report)} entries typed in {len(result.report)} sections: "
         f"{sections}")
    if result.ignored:
        _say(f"warning: not read (RenderCV's own look and settings, or fields cvgen has no place for): "
             f"{printable(', '.join(result.ignored))}")
    return result.cv


def _import_bibtex(bib: Path, output: Path, owner: str | None) -> None:
    """A .bib file's papers merged into the CV at `output` (a new CV when there is none)."""
    from cvgen.bibtex import merge_papers, read_bibtex
    from cvgen.dump import dump_cv
    from cvgen.model import CV
    from cvgen.textfile import read_text_file

    _check_outputs([output], inputs=[bib])
    papers = read_bibtex(read_text_file(bib, "BibTeX file"), printable(str(bib)))
    if str(output) != "-" and _is_regular_file(output):
        cv, _ = _load_for_merge(output)
        before = read_text_file(output, "CV")
    else:
        cv, before = CV(name=_owner_of(papers, owner), sections=[]), None
    if owner and not cv.is_owner(owner):
        cv.name_variants.append(owner)
    merged = merge_papers(cv, papers)
    _say(f"bibtex: {len(papers)} papers read from {printable(str(bib))}: {len(merged.added)} added, "
         f"{len(merged.updated)} completed, {len(merged.unchanged)} left alone (already in the CV)")
    if merged.without_owner:
        _say(f"warning: the owner ({printable(cv.name)}) is not among the authors of {len(merged.without_owner)} "
             f"paper(s): {printable('; '.join(merged.without_owner[:5]))}; give the spelling with --owner")
    if before is not None and not merged.added and not merged.updated:
        _say(f"{printable(str(output))} already holds every paper: left as it is")
        return
    if before is not None and any(re.search(r"(^|\s)#", line) and not line.startswith("# yaml-language-server")
                                  for line in before.splitlines()):
        save(output.with_name(output.name + ".bak"), before)
        _say(f"note: {printable(str(output))} is written anew and its comments are not kept; the file as it was "
             f"is in {printable(str(output))}.bak")
    _write_text(dump_cv(cv), output)


def _load_for_merge(path: Path) -> tuple[CV, Origin]:
    """The CV a merge adds to; one with texts written per language is refused, as writing it anew would keep only
    one language."""
    from cvgen.loader import read_cv_file

    cv, origin = read_cv_file(path)
    if origin.per_language:
        raise CvgenError(f"{printable(str(path))} writes {origin.per_language} texts per language, which writing it "
                         "anew would flatten; import the BibTeX into a new file (-o papers.yaml) and copy the papers "
                         "over")
    return cv, origin


def _owner_of(papers: list[Publication], owner: str | None) -> str:
    """The owner of a CV made from a .bib file: the spelling of `owner`'s family name the papers use most, else
    `owner`; without one, the author of the most papers (said, with how to choose another)."""
    from collections import Counter

    counted = Counter(author.name for paper in papers for author in paper.author_list() if author.name != "et al.")
    if owner:
        family = (owner.split(",")[0] if "," in owner else owner.split()[-1]).strip().casefold()
        spellings = [(count, name) for name, count in counted.items() if name.split()[-1].casefold() == family]
        return max(spellings)[1] if spellings else owner
    if not counted:
        raise CvgenError("the BibTeX file names no authors; give the owner's name with --owner")
    name = counted.most_common(1)[0][0]
    _say(f"note: the owner is taken to be {printable(name)}, the author of the most papers; give another with --owner")
    return name


@app.command("export")
def export_command(
    target: Annotated[ExportFormat, typer.Argument(help="The format to write.")],
    cv: CvArgument = DEFAULT_CV,
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write; - for stdout.")] = Path("-"),
    variant: VariantOption = None,
) -> None:
    """Write the CV in another tool's format; what the format cannot hold is listed in one warning."""

    def action() -> None:
        from cvgen.bibtex import bibtex_entries, write_bibtex
        from cvgen.rendercv import rendercv_text

        _check_outputs([output], inputs=[cv])
        model, _ = _load(cv, variant)
        if target is ExportFormat.jsonresume:
            from cvgen.jsonresume import jsonresume_document

            document, left = jsonresume_document(model)
            if left:
                _say(f"warning: left out of the JSON Resume, which has no place for them: {', '.join(left)}")
            _write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", output)
            return
        if target is ExportFormat.rendercv:
            text, left = rendercv_text(model)
            if left:
                _say(f"warning: left out of the RenderCV input, which has no place for them: {', '.join(left)}")
            _write_text(text, output)
            return
        entries, left = bibtex_entries(model)
        if left:
            _say(f"warning: left out of the BibTeX, which holds papers only: {', '.join(left)}")
        _say(f"bibtex: {len(entries)} papers")
        _write_text(write_bibtex(entries), output)

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
        from cvgen.build import write_site

        model = _load(cv)[0]
        if model.site is None:
            raise CvgenError(f"{printable(str(cv))} was not imported from a site; use `cvgen markdown` for one page")
        written, unchanged = write_site(model, site)
        for path in written:
            _say(f"wrote {path}")
        _say(f"site: {len(written)} files written, {len(unchanged)} unchanged")

    _run(action)


def _name_site(cv: CV, site: Path, output: Path) -> None:
    """The site's folder in the CV's `output.site`, relative to the CV file, so `cvgen build` writes the site too;
    only where the CV file lies in the site's folder or beside it (a CV names no folder outside its own)."""
    from cvgen.model import Output

    if str(output) == "-":
        return
    home = Path(os.path.abspath(output)).parent
    folder = Path(os.path.abspath(site))
    if folder.is_relative_to(home):
        cv.output = Output(site=folder.relative_to(home).as_posix() or ".")
    else:
        _say(f"note: {printable(str(output))} is outside the site's folder and the folder above it, so `cvgen build` "
             f"does not write the site; `cvgen site {printable(str(site))} {printable(str(output))}` does")


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


@app.command("init")
def init_command(
    cv: Annotated[Path, typer.Argument(help="Where to write the starter CV.")] = DEFAULT_CV,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented starter CV (and its schema beside it) for someone without a homepage yet: every common
    section with an example entry, each field explained."""

    def action() -> None:
        from cvgen.themes import starter_text

        _check_outputs([cv], inputs=[])
        if str(cv) == "-":
            _write_text(starter_text(), cv)
            return
        if cv.exists() and not force:
            raise CvgenError(f"{printable(str(cv))} exists; pass --force to replace it")
        save(cv, starter_text())
        schema_file = cv.parent / "cv.schema.json"
        if not schema_file.exists():
            save(schema_file, _schema_text())
        _say(f"wrote {cv}; edit it, then run `cvgen build {cv}` (or `cvgen watch {cv}` to build at every save)")

    _run(action)


@app.command("new-theme")
def new_theme_command(
    name: Annotated[str, typer.Argument(help="The new theme's folder, made beside the CV file.")],
    cv: CvArgument = DEFAULT_CV,
    base: Annotated[str, typer.Option("--from", help="The built-in theme to copy: classic or modern.")] = "classic",
) -> None:
    """Copy a built-in theme's LaTeX and HTML templates into a new folder beside the CV, and name the folder first
    in the CV's `design.templates`: its outputs look the same until you change the copies."""

    def action() -> None:
        from cvgen.textfile import read_text_file
        from cvgen.themes import copy_theme, with_template_folder

        _load(cv)  # a CV that loads, before anything is written
        folder = cv.parent / name
        if not Path(os.path.abspath(folder)).is_relative_to(os.path.abspath(cv.parent)) or name in ("", "."):
            raise typer.BadParameter("name a new folder beside the CV, such as my-theme", param_hint="NAME")
        files = copy_theme(base, folder)
        _say(f"copied the {base} theme's {len(files)} templates into {folder}")
        text = read_text_file(cv, "CV")
        edited = with_template_folder(text, name)
        if edited is None:
            _say(f"note: add `{name}` to design.templates in {printable(str(cv))}, first, so the CV uses it")
            return
        save(cv, edited)
        _load(cv)
        _say(f"named it in {printable(str(cv))}: design.templates starts with {name}")

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
    variant: VariantOption = None,
) -> None:
    """Write the homepage's Markdown page (front matter included) from the CV."""

    def action() -> None:
        from cvgen.renderers import render

        _check_outputs([output], inputs=[cv])
        cv_model, origin = _load(cv, variant)
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
    variant: VariantOption = None,
) -> None:
    """Write the CV as a standalone HTML page (the PDF's HTML, with its stylesheet inlined)."""

    def action() -> None:
        from cvgen.renderers import render

        _check_outputs([output], inputs=[cv])
        cv_model, origin = _load(cv, variant)
        _write_text(render("html", cv_model, _options_for(cv_model, origin, theme, templates)), output)

    _run(action)


def _warn(view: CVView, origin: Origin) -> None:
    """Say what the PDFs leave out of the CV (Liquid in raw Markdown), naming the file, line and field."""
    for warning in view.warnings:
        _say(f"warning: {origin.place(warning.path)}, {warning.message}")


def write_weasyprint_pdf(cv: CV, options: RenderOptions, view: CVView, output: Path) -> None:
    """Typeset the CV with WeasyPrint into `output`, saying what it warns of."""
    from cvgen.build import write_weasyprint_pdf as write

    for warning in write(cv, options, view, output):
        _say(f"warning: {warning}")
    _say(f"wrote {output}")


@app.command("pdf")
def pdf_command(
    cv: CvArgument = DEFAULT_CV,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output PDF file.")] = DEFAULT_OUT / "cv.pdf",
    theme: ThemeOption = None,
    templates: TemplatesOption = None,
    paper: Annotated[Paper | None, typer.Option("--paper", help="Paper size (overrides design.paper).")] = None,
    variant: VariantOption = None,
) -> None:
    """Typeset the CV as a PDF with WeasyPrint (HTML + CSS)."""
    _binary_output(output)

    def action() -> None:
        from cvgen.view import build_view

        _check_outputs([output], inputs=[cv])
        cv_model, origin = _load(cv, variant)
        view = build_view(cv_model, origin)
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
    variant: VariantOption = None,
) -> None:
    """PNG previews of the WeasyPrint PDF's pages (cv-1.png, cv-2.png, …), for READMEs and quick looks."""

    def action() -> None:
        from cvgen.pdf import render_pdf
        from cvgen.preview import pdf_to_pngs

        _check_outputs([], inputs=[cv], folders=[output])
        cv_model, origin = _load(cv, variant)
        options = _options_for(cv_model, origin, theme, templates)
        images = pdf_to_pngs(render_pdf(cv_model, options), resolution=resolution, last=pages)
        for number, image in enumerate(images, start=1):
            save(output / f"cv-{number}.png", image)
        _say(f"wrote {len(images)} page(s) to {output}")

    _run(action)


def write_latex(cv: CV, options: RenderOptions, view: CVView, output: Path, compile_pdf: bool) -> None:
    """Write the LaTeX CV into `output` (standard output for `-`) and, with `compile_pdf`, compile it beside it."""
    from cvgen.build import write_latex as write
    from cvgen.renderers.latex import choose_engine, render

    if str(output) == "-":
        _write_text(render(cv, options, engine=options.engine or choose_engine(cv), view=view), output)
        return
    for warning in write(cv, options, view, output, compile_pdf):
        _say(f"warning: {warning}")
    engine = options.engine or choose_engine(cv)
    _say(f"wrote {output}" + (f" and {output.with_suffix('.pdf')} ({engine})" if compile_pdf else ""))


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
    variant: VariantOption = None,
) -> None:
    """Write the CV as LaTeX; with --pdf also compile it with latexmk."""
    if pdf:
        _binary_output(output)

    def action() -> None:
        from cvgen.view import build_view

        _check_outputs([output, output.with_suffix(".pdf")] if pdf else [output], inputs=[cv])
        cv_model, origin = _load(cv, variant)
        view = build_view(cv_model, origin)
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
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Output folder (overrides output.folder in the CV; "
                                                                  "default: out).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Make every output again, even those up to date.")] = False,
    variant: VariantOption = None,
) -> None:
    """Make every output the CV's `output.formats` names (default: latex/cv.tex and its PDF, cv.pdf, cv.html and
    about.md; for a CV read from a whole site, the site in place of about.md), side by side, each in a process of
    its own; an output whose inputs did not change since the last build is not made again. With --variant, the
    variant's outputs (default: latex, pdf and html) into a folder of its name in the output folder."""

    def action() -> None:
        from cvgen.build import Record, file_digest

        record = Record.of(cv, _build_request(out, variant))
        if not force and record.all_current(file_digest(cv)):
            _say(f"up to date: {', '.join(record.outputs)} (nothing they are made from changed; --force makes them "
                 "again)")
            return
        _build(cv, out, force, record, variant)

    _run(action)


def _build_request(out: Path | None, variant: str | None) -> str:
    """What, besides the CV file, names a build's record: its output folder and variant."""
    return f"{out.resolve() if out is not None else ''}\0{variant or ''}"


def _build(cv: Path, out: Path | None, force: bool, record: Record, variant: str | None = None) -> None:
    """`cvgen build` past the quick check: the CV read once, its stale outputs made side by side, then a table."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    run = _start_build(cv, out, force, record, variant)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)  # set up once every output has started
    with progress:
        tasks = {name: progress.add_task(name, total=1) for name in run.stale}
        run.running.collect(lambda result: progress.update(tasks[result.name], completed=1,
                                                           description=f"{result.name}: {result.status}"))
    _report(run.plan, run.finish())


def _start_build(cv: Path, out: Path | None, force: bool, record: Record, variant: str | None = None,
                 reuse: Reuse | None = None) -> BuildRun:
    """The CV loaded (in a variant's shape) and its stale outputs started, each in a process of its own (what the
    PDFs leave out said)."""
    from cvgen.build import BuildRun, plan_build
    from cvgen.templates import user_template_dirs

    model, origin = _load(cv, variant, reuse)
    options = _options_for(model, origin, None, None)
    plan = plan_build(model, cv, out, DEFAULT_OUT, user_template_dirs(model, options), variant)
    _check_outputs([file for name in plan.names for file in plan.files(name)], inputs=[cv], folders=[plan.out])
    run = BuildRun(cv, model, options, plan, record, force=force, explain=_explain, origin=origin, reuse=reuse)
    _warn(run.view, origin)
    return run


@app.command("watch")
def watch_command(
    cv: CvArgument = DEFAULT_CV,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Output folder (overrides output.folder in the CV; "
                                                                  "default: out).")] = None,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The web page's port on 127.0.0.1 (0: any "
                                                                       "free one).")] = 8000,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the web page, reloading itself after "
                                                                   "each build.")] = True,
    variant: VariantOption = None,
) -> None:
    """Build as `cvgen build` does, then again whenever the CV or a template folder it reads is saved: the
    Markdown and the web page at once, the PDFs as soon as they are ready. The web page is served on this machine
    and reloads itself in the browser after each build. An error is shown and watching goes on; Ctrl-C stops."""

    def action() -> None:
        gc.enable()  # a long-running command (see main)
        from cvgen.build import Record
        from cvgen.reuse import Reuse
        from cvgen.watch import serve as serve_folder
        from cvgen.watch import watch

        record = Record.of(cv, _build_request(out, variant))
        reuse = Reuse()  # a save that edits one entry converts that entry, not every other one again
        inputs: tuple[list[Path], list[str]] = ([cv], [])
        served: list[str] = []

        def start() -> BuildRun | None:
            nonlocal inputs
            gc.disable()  # while the CV is read and its quick outputs made: collections of its many objects cost
            try:  # a fifth of that on a long CV; they run again once the outputs are under way
                run = _start_build(cv, out, False, record, variant, reuse)
            except CvgenError as error:
                _say(f"error: {printable(str(error))}")
                _say("watching: save the CV to try again")
                return None
            finally:
                gc.enable()
            inputs = ([cv], sorted({folder for name in run.plan.names for folder in run.plan.output(name).folders}))
            if serve and not served:
                try:
                    served.append(serve_folder(run.plan.out, port)[1])
                except OSError as error:  # the port is taken
                    run.running.stop()
                    raise CvgenError(f"cannot serve the web page on port {port}: {error.strerror or error}; "
                                     "choose another with --port, or --no-serve") from None
                _say(f"serving {served[0]} (it reloads itself after each build)")
            if not run.stale:
                run.finish()
                _say("up to date; watching for a save (Ctrl-C stops)")
            return run

        def ended(result: Result) -> None:
            _say(f"{result.name}: {result.status} ({result.seconds:.2f} s)")
            for warning in result.warnings:
                _say(f"warning: {printable(warning)}")
            if result.status == "failed":
                _say(f"error: {result.name}: {printable(result.message)}")

        def finished(run: BuildRun, results: list[Result]) -> None:
            made = sum(result.status == "made" for result in results)
            _say(f"built {made} of {len(results)} outputs into {run.plan.out}; watching for a save (Ctrl-C stops)")

        try:
            watch(lambda: inputs, start, ended, finished)
        except KeyboardInterrupt:
            _say("stopped watching")

    _run(action)


def _report(plan: Plan, results: list[Result]) -> None:
    """A table of every output (files, size, time, status), then warnings and failures; exit 1 on a failure."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    made = {result.name: result for result in results}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in ("output", "files", "size", "time", "status"):
        table.add_column(column, justify="right" if column in ("size", "time") else "left")
    for name in plan.names:
        result = made.get(name)
        files = result.files if result is not None and result.files else plan.files(name)
        size = sum(file.stat().st_size for file in files if file.is_file())
        shown = _shown_files(plan, name, files)
        time_text = f"{result.seconds:.2f} s" if result is not None else "-"
        table.add_row(name, shown, _size(size) if files else "", time_text,
                      result.status if result is not None else "up to date")
    Console(stderr=True, highlight=False).print(table)
    for warning in dict.fromkeys(warning for result in results for warning in result.warnings):
        _say(f"warning: {printable(warning)}")
    failures: dict[str, list[str]] = {}
    for result in results:
        if result.status != "made":
            failures.setdefault(result.message or result.status, []).append(result.name)
    for message, names in failures.items():
        _say(f"error: {', '.join(names)}: {printable(message)}")
    if failures:
        raise typer.Exit(1)


def _shown_files(plan: Plan, name: str, files: list[Path]) -> str:
    if name == "site" and plan.site is not None:
        return f"{len(files)} files in {plan.site}" if files else str(plan.site)
    return ", ".join(str(file) for file in files)


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


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
