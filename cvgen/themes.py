"""Starting points: a commented starter CV (`cvgen init`) and a copy of a built-in theme's templates to change
(`cvgen new-theme`), named in the CV so that its outputs use it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from cvgen.errors import CvgenError, printable
from cvgen.templates import builtin_templates_dir, builtin_themes

STARTER = Path(__file__).resolve().parent / "starter.yaml"
THEME_FORMATS = ("latex", "html")  # the formats with themes; the homepage's Markdown keeps the page's own style


def starter_text() -> str:
    """The starter CV: every common section with an example entry, each field explained in a comment."""
    return STARTER.read_text(encoding="utf-8")


def theme_files(theme: str) -> dict[str, Path]:
    """Every template file of a built-in theme, by the relative name a template folder gives it: the format's
    base files, with the theme's own in their place."""
    if theme not in builtin_themes("latex") and theme not in builtin_themes("html"):
        raise CvgenError(f"there is no built-in theme {theme!r}; use one of {', '.join(builtin_themes('html'))}")
    files: dict[str, Path] = {}
    for format_name in THEME_FORMATS:
        base = builtin_templates_dir() / format_name
        for folder in (base, base / "themes" / theme):
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and (folder != base or relative.parts[0] != "themes"):
                    files[relative.as_posix()] = path
    return files


def copy_theme(theme: str, target: Path) -> list[str]:
    """Copy a built-in theme's templates into a new folder; the files copied."""
    if target.exists() and any(target.iterdir()):
        raise CvgenError(f"{printable(str(target))} exists and is not empty; name a new folder")
    files = theme_files(theme)
    for name, source in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / name)
    return sorted(files)


def with_template_folder(text: str, folder: str) -> str | None:
    """The CV's YAML with `folder` first among its `design.templates`, each other line as it was; None when the
    file writes `design` in a form this edit does not know (the caller then says what to add)."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    design = next((index for index, line in enumerate(lines) if re.match(r"design\s*:\s*(#.*)?$", line.rstrip())),
                  None)
    if design is None:
        if any(re.match(r"design\s*:", line) for line in lines):
            return None  # written inline: design: {theme: modern}
        ending = "" if not lines or lines[-1].endswith(("\n", "\r")) else newline
        return text + ending + f"design:{newline}  templates: [{folder}]{newline}"
    children = []
    for index in range(design + 1, len(lines)):
        match = re.match(r"([ \t]+)(\S.*)$", lines[index].rstrip("\r\n"))
        if lines[index].strip() and not match:
            break
        if match and not match.group(2).startswith("#"):
            children.append((index, match.group(1), match.group(2)))
    if not children:
        return None
    indent = children[0][1]
    templates = next(((index, rest) for index, child_indent, rest in children
                      if child_indent == indent and re.match(r"templates\s*:", rest)), None)
    if templates is None:
        lines.insert(design + 1, f"{indent}templates: [{folder}]{newline}")
        return "".join(lines)
    index, rest = templates
    inline = re.match(r"templates\s*:\s*\[(.*)\]\s*(#.*)?$", rest)
    if inline is None:
        return None
    listed = [item.strip() for item in inline.group(1).split(",") if item.strip()]
    comment = f"  {inline.group(2)}" if inline.group(2) else ""
    lines[index] = f"{indent}templates: [{', '.join([folder, *listed])}]{comment}{newline}"
    return "".join(lines)


__all__ = ["STARTER", "copy_theme", "starter_text", "theme_files", "with_template_folder"]
