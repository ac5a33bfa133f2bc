"""Finding template folders (wheel install or checkout) and making the Jinja environments that read them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

_PACKAGE_DIR = Path(__file__).resolve().parent


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


def make_environment(
    folders: Sequence[Path], *, latex: bool = False, autoescape: bool = False
) -> jinja2.Environment:
    """A strict Jinja environment; LaTeX templates get \\VAR{…} / \\BLOCK{…} / \\#{…} delimiters."""
    options: dict[str, object] = {}
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
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,
        **options,  # type: ignore[arg-type]
    )
