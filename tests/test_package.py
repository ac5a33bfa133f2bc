"""Packaging: the wheel carries the templates, and an installed cvgen finds them outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, ROOT

TEMPLATE_FOLDERS = ("latex", "html", "markdown")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (built,) = out.glob("cvgen-*.whl")
    return built


def test_the_wheel_holds_every_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in TEMPLATE_FOLDERS:
        shipped = {path.relative_to(ROOT / "templates").as_posix()
                   for path in (ROOT / "templates" / folder).rglob("*") if path.is_file()}
        assert shipped, folder
        assert {f"cvgen/templates/{name}" for name in shipped} <= names
    assert "cvgen/cli.py" in names


def _isolated_environment() -> dict[str, str]:
    """The test's environment without what would let a child see this checkout or this venv's packages."""
    hidden = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE"}
    return {key: value for key, value in os.environ.items() if key not in hidden} | {"PYTHONNOUSERSITE": "1"}


def test_an_installed_wheel_renders_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    """The wheel installs with its own dependencies into a venv that sees nothing of the base interpreter."""
    environment = tmp_path / "venv"
    venv.create(environment, system_site_packages=False, with_pip=True)
    python = environment / "bin" / "python"
    env = _isolated_environment()
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              str(wheel)], capture_output=True, text=True, env=env)
    assert install.returncode == 0, install.stdout + install.stderr
    # The venv is isolated: a package the tests use but cvgen does not depend on is not importable there.
    isolated = subprocess.run([str(python), "-c", "import hypothesis"], capture_output=True, text=True, env=env)
    assert isolated.returncode != 0, "the test venv sees packages cvgen does not declare"
    result = subprocess.run([str(environment / "bin" / "cvgen"), "markdown", str(DATA / "cv.yaml"), "-o", "-"],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("---\n")
    located = subprocess.run([str(python), "-c", "from cvgen.templates import builtin_templates_dir as d; print(d())"],
                             capture_output=True, text=True, cwd=tmp_path, env=env, check=True).stdout.strip()
    assert located.startswith(str(environment)), located
    pdf = tmp_path / "cv.pdf"
    typeset = subprocess.run([str(environment / "bin" / "cvgen"), "pdf", str(DATA / "cv.yaml"), "-o", str(pdf)],
                             capture_output=True, text=True, cwd=tmp_path, env=env)
    assert typeset.returncode == 0, typeset.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    # The starter CV ships in the wheel, and an installed cvgen builds it (outputs side by side, with rich).
    started = subprocess.run([str(environment / "bin" / "cvgen"), "init", "start/cv.yaml"], capture_output=True,
                             text=True, cwd=tmp_path, env=env)
    assert started.returncode == 0, started.stderr
    built = subprocess.run([str(environment / "bin" / "cvgen"), "build", "start/cv.yaml", "-o", "start/out"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "start" / "out" / "cv.pdf").is_file() and (tmp_path / "start" / "out" / "about.md").is_file()
    # The JSON Resume schema ships in the wheel: an installed cvgen checks an import against it.
    sample = Path(__file__).resolve().parent / "fixtures" / "jsonresume" / "sample.resume.json"
    imported = subprocess.run([str(environment / "bin" / "cvgen"), "import", str(sample), "-o", "resume/cv.yaml"],
                              capture_output=True, text=True, cwd=tmp_path, env=env)
    assert imported.returncode == 0 and "valid against the JSON Resume schema 1.3.1" in imported.stderr, (
        imported.stderr)
