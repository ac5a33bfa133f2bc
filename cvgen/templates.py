"""Finding template folders (wheel install or checkout) and making the Jinja environments that read them."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache
import jinja2.sandbox

from cvgen.errors import CvgenError, FieldPath, display_path, printable
from cvgen.output import is_folder

if TYPE_CHECKING:
    from cvgen.model import CV
    from cvgen.renderers import RenderOptions

_PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_THEME = "classic"  # every format's base folder: there is no themes/classic
_FORMAT_NAMES = {"latex": "LaTeX", "html": "HTML", "markdown": "Markdown"}


def builtin_templates_dir() -> Path:
    """The built-in templates: cvgen/templates in a wheel, the top-level templates/ in a checkout."""
    for candidate in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"cvgen's templates are missing (looked in {_PACKAGE_DIR / 'templates'} and beside it)")


def template_dirs(format_name: str, theme: str | None = None, user_dirs: Sequence[Path] = ()) -> list[Path]:
    """Folders searched for a format's templates: the user's first, then the theme's, then the format's base."""
    base = builtin_templates_dir() / format_name
    dirs = [Path(folder) for folder in user_dirs]
    if theme:
        dirs.append(base / "themes" / theme)
    dirs.append(base)
    return [folder for folder in dirs if folder.is_dir()]


def user_template_dirs(cv: CV, options: RenderOptions) -> list[Path]:
    """The user's template folders: the command line's (--templates) first, then the CV's `design.templates`."""
    named = [(Path(folder), "--templates") for folder in options.template_dirs]
    named += [(Path(folder), _place(options, ("design", "templates", index)))
              for index, folder in enumerate(cv.design.templates)]
    absent = [(folder, where) for folder, where in named if not is_folder(folder)]
    missing = [f"{where}: the template folder {printable(str(folder))} does not exist" for folder, where in absent]
    if any(where != "--templates" for _, where in absent):
        missing.append("(a relative folder in design.templates is relative to the CV file's folder)")
    if missing:
        raise CvgenError("\n".join(missing))
    return [folder for folder, _ in named]


def _place(options: RenderOptions, path: FieldPath) -> str:
    """Where the CV chose something: `cv.yaml:3: design.theme` when its file is known, else the field."""
    return options.origin.place(path) if options.origin else display_path(path)


def builtin_themes(format_name: str) -> list[str]:
    """A format's built-in themes: the default (the base folder's own look), then each templates/<format>/themes/*."""
    folder = builtin_templates_dir() / format_name / "themes"
    extra = sorted(theme.name for theme in folder.iterdir() if theme.is_dir()) if folder.is_dir() else []
    return [DEFAULT_THEME, *(name for name in extra if name != DEFAULT_THEME)]


def search_path(format_name: str, cv: CV, options: RenderOptions, *, theme_files: Sequence[str] = ()) -> list[Path]:
    """Every folder searched for a format's templates, first match wins: --templates, the CV's `design.templates`,
    the built-in theme's (--theme, else `design.theme`), the format's base.

    A theme that is not built in is an error, unless a user folder holds one of `theme_files` (such as
    cv.tex.j2): that folder brings its own look, whatever the theme is called.
    """
    user_dirs = user_template_dirs(cv, options)
    theme = options.theme or cv.design.theme
    themes = builtin_themes(format_name)
    if theme not in themes and not any((folder / name).is_file() for folder in user_dirs for name in theme_files):
        source = "--theme" if options.theme else _place(options, ("design", "theme"))
        name = _FORMAT_NAMES.get(format_name, format_name)
        raise CvgenError(f"{source}: there is no {name} theme {theme!r}; use one of {', '.join(themes)}")
    # Only a built-in name becomes a path: a theme such as '../html' never reaches another folder.
    builtin = theme if theme in themes and theme != DEFAULT_THEME else None
    return template_dirs(format_name, builtin, user_dirs)


class _OptionalBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, made optional: an entry that cannot be read (corrupt,
    truncated, unreadable) is compiled again, and one that cannot be written (read-only or full disk) is skipped."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any damage to a cache entry: compile the template instead
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def _bytecode_cache(sandboxed: bool) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs in $XDG_CACHE_HOME/cvgen (Jinja checks each template's source, so an
    edited template is compiled again), the sandbox's apart (its compiled code differs); None where no cache
    folder can be made."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cvgen" / (
        "jinja-sandboxed" if sandboxed else "jinja-builtin")
    try:
        base.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError):  # ValueError: a NUL in XDG_CACHE_HOME
        return None
    return _OptionalBytecodeCache(str(base))


def make_environment(
    folders: Sequence[Path], *, latex: bool = False, autoescape: bool = False
) -> jinja2.Environment:
    """A strict Jinja environment; LaTeX templates get \\VAR{…} / \\BLOCK{…} / \\#{…} delimiters."""
    options: dict[str, Any] = {}
    if latex:
        options = {
            "block_start_string": r"\BLOCK{",
            "block_end_string": "}",
            "variable_start_string": r"\VAR{",
            "variable_end_string": "}",
            "comment_start_string": r"\#{",
            "comment_end_string": "}",
            "line_statement_prefix": "%-",
            "line_comment_prefix": "%#",
        }
    # Sandboxed where a user's own folder is searched (--templates, design.templates, a `cvgen new-theme` copy):
    # a template from there can lay out the values it is given but cannot reach Python's internals through them.
    # cvgen's own templates are cvgen's code, and run without the sandbox's check of every attribute they read.
    builtin = builtin_templates_dir()
    sandboxed = not all(folder.resolve().is_relative_to(builtin) for folder in folders)
    environment = jinja2.sandbox.SandboxedEnvironment if sandboxed else jinja2.Environment
    return environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,
        bytecode_cache=_bytecode_cache(sandboxed),
        **options,
    )
