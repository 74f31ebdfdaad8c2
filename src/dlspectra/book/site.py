"""The HTML site: the local MathJax, the Jupyter Book (v1) build of a staging folder, and the check
of the rendered pages (:mod:`dlspectra.book.htmlcheck`: no Python warnings, tracebacks or local paths)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from dlspectra.cache import atomic_write_text
from dlspectra.errors import DlspectraError


def ensure_mathjax(root: Path) -> Path:
    """The local MathJax the book serves (``_build/mathjax``): installed with npm when missing, else a clear error."""
    es5 = root / "_build" / "mathjax" / "node_modules" / "mathjax" / "es5"
    if (es5 / "tex-chtml.js").is_file():
        return es5
    npm = shutil.which("npm")
    if npm is None:
        raise DlspectraError(f"MathJax is not installed ({es5 / 'tex-chtml.js'} is missing) and npm is not on the PATH: "
                             "run `make mathjax` where npm exists, or pass --no-html")
    print("installing MathJax 3.2.2 (npm) into _build/mathjax ...", flush=True)
    proc = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                           str(root / "_build" / "mathjax"), "mathjax@3.2.2"], capture_output=True, text=True)
    if proc.returncode != 0 or not (es5 / "tex-chtml.js").is_file():
        raise DlspectraError(f"could not install MathJax with npm (exit {proc.returncode}): {proc.stderr[-800:]}")
    return es5


def build_html(root: Path, stage: Path | None = None, scale: str | None = None) -> tuple[int, list[str]]:
    """Run ``jupyter-book build`` on ``stage`` (default ``root``) into ``root/_build/html``; returns (exit code, warnings)."""
    exe = Path(sys.executable).parent / "jupyter-book"
    if not exe.exists():
        raise DlspectraError(f"jupyter-book is not installed beside {sys.executable}: pip install 'dlspectra[book]'")
    html = root / "_build" / "html"
    marker = html / ".dlspectra-scale"
    if scale is not None and html.exists() and (not marker.exists() or marker.read_text().strip() != scale):
        shutil.rmtree(html)  # never mix pages of two scales in one HTML tree
        shutil.rmtree(root / "_build" / ".doctrees", ignore_errors=True)
    proc = subprocess.run([str(exe), "build", str(stage or root), "--path-output", str(root)],
                          capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    warnings = [ln for ln in out.splitlines() if "WARNING" in ln or "ERROR" in ln]
    code = proc.returncode
    if code == 0 and not (html / "index.html").exists():
        code, out = 1, out + "\njupyter-book exited 0 but wrote no _build/html/index.html"
    if code != 0:
        sys.stderr.write(out[-6000:])
    elif scale is not None:
        atomic_write_text(marker, scale + "\n")
    return code, warnings


def check_site(root: Path, docs: list[str], local: tuple[str, ...]) -> dict[str, list[str]]:
    """``{doc: findings}`` of the rendered pages ``docs`` under ``root/_build/html`` (see :mod:`dlspectra.book.htmlcheck`)."""
    from dlspectra.book.htmlcheck import check_book

    return check_book(root / "_build" / "html", docs, local)
