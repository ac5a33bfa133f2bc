"""The renderers: one module per format behind `render(cv, options) -> str`, in a registry keyed by format name.

Modules are imported on first use, so `cvgen markdown` never imports WeasyPrint.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cvgen.errors import Origin
from cvgen.model import CV

RENDERER_MODULES: dict[str, str] = {
    "latex": "cvgen.renderers.latex",
    "html": "cvgen.renderers.html",
    "markdown": "cvgen.renderers.markdown",
}


@dataclass(frozen=True)
class RenderOptions:
    """Choices that come from the command line rather than the CV file."""

    theme: str | None = None
    template_dirs: Sequence[Path] = field(default_factory=tuple)
    paper: str | None = None
    origin: Origin | None = None  # where the CV was read from, so messages about its choices name its lines


class Renderer(Protocol):
    """What a renderer module provides."""

    def render(self, cv: CV, options: RenderOptions = ...) -> str:
        """Render the CV to the format's text."""
        ...


def get_renderer(format_name: str) -> Renderer:
    """The renderer module for a format name (`latex`, `html`, `markdown`)."""
    module: Renderer = importlib.import_module(RENDERER_MODULES[format_name])
    return module


def render(format_name: str, cv: CV, options: RenderOptions | None = None) -> str:
    """Render a CV in one format."""
    return get_renderer(format_name).render(cv, options or RenderOptions())
