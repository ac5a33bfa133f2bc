"""The renderers: one registry keyed by format name, `render(format, cv, options)`, that every command goes through.

`latex`, `html` (the standalone web page) and `markdown` return text; `pdf` (typeset by WeasyPrint) returns
bytes. Modules are imported on first use, so `cvgen markdown` never imports WeasyPrint. A run that writes several
formats builds the CV's view once and passes it to each (`view=`).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, overload

from cvgen.errors import Origin
from cvgen.model import CV

if TYPE_CHECKING:
    from cvgen.view import CVView

RENDERER_MODULES: dict[str, str] = {
    "latex": "cvgen.renderers.latex",
    "html": "cvgen.renderers.html",
    "markdown": "cvgen.renderers.markdown",
    "pdf": "cvgen.pdf",
}
FORMATS = tuple(RENDERER_MODULES)


@dataclass(frozen=True)
class RenderOptions:
    """Choices that come from the command line rather than the CV file."""

    theme: str | None = None
    template_dirs: Sequence[Path] = field(default_factory=tuple)
    paper: str | None = None
    origin: Origin | None = None  # where the CV was read from, so messages about its choices name its lines
    engine: str | None = None  # LaTeX: pdflatex or xelatex; None picks the one the CV's characters need


class Renderer(Protocol):
    """What a renderer module provides."""

    def render_format(self, cv: CV, options: RenderOptions, view: CVView | None) -> str | bytes:
        """The CV in the module's format."""
        ...


def get_renderer(format_name: str) -> Renderer:
    """The renderer module of a format name (`latex`, `html`, `markdown`, `pdf`)."""
    module: Renderer = importlib.import_module(RENDERER_MODULES[format_name])
    return module


@overload
def render(format_name: Literal["pdf"], cv: CV, options: RenderOptions | None = None, *,
           view: CVView | None = None) -> bytes: ...
@overload
def render(format_name: Literal["latex", "html", "markdown"], cv: CV, options: RenderOptions | None = None, *,
           view: CVView | None = None) -> str: ...
def render(format_name: str, cv: CV, options: RenderOptions | None = None, *,
           view: CVView | None = None) -> str | bytes:
    """Render a CV in one format; `view` is the CV's view when the caller has built it already."""
    return get_renderer(format_name).render_format(cv, options or RenderOptions(), view)
