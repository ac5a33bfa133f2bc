"""Importers: other sources → CV model, all funnelled through one YAML writer (cvgen.dump); and which importer a
file given to `cvgen import` needs, by its extension and content."""

from __future__ import annotations

from pathlib import Path

from cvgen.errors import CvgenError, InputFileError, printable

# What `cvgen import` reads.
SOURCE_FORMATS = ("homepage", "site", "bibtex", "jsonresume", "rendercv")


def source_format(path: Path) -> str:
    """What a file given to `cvgen import` is: a site's folder, a .bib file, a JSON Resume or RenderCV document (a
    .json, .yaml or .yml file, told apart by its content), else a homepage's Markdown page."""
    from cvgen.importers.jekyll_site import is_site
    from cvgen.importers.jsonresume import is_jsonresume, load_json
    from cvgen.importers.rendercv import is_rendercv
    from cvgen.loader import parse_yaml
    from cvgen.textfile import read_text_file

    if is_site(path):
        return "site"
    suffix = path.suffix.casefold()
    if suffix == ".bib":
        return "bibtex"
    if suffix not in (".json", ".yaml", ".yml"):
        return "homepage"
    text = read_text_file(path, "input")
    if suffix == ".json":
        data = load_json(text, printable(str(path)))
    else:
        data, _, problems = parse_yaml(text)
        if problems:
            raise InputFileError(printable(str(path)), problems)
    if is_rendercv(data):
        return "rendercv"
    if is_jsonresume(data):
        return "jsonresume"
    if isinstance(data, dict) and "sections" in data and "name" in data:
        raise CvgenError(f"{printable(str(path))} is a cvgen CV already: build it with `cvgen build "
                         f"{printable(str(path))}`")
    raise CvgenError(f"{printable(str(path))} is neither a JSON Resume document (`basics`, `work`, `education`…) nor "
                     "a RenderCV input (`cv:` with `sections:`); say what it is with --from jsonresume or --from "
                     "rendercv")
