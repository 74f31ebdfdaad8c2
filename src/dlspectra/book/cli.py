"""Command line: ``dlspectra book``, ``dlspectra list``, ``dlspectra scorecard``, ``dlspectra toc``.

``dlspectra book --scale ci [--only xie/fig01 ...] [--jobs 2] [--device auto] [--no-html]``

1. finds every ``notebooks/<paper>/<id>_<slug>.py`` (jupytext percent format with a cell tagged
   ``parameters`` holding ``scale`` and ``device``) and checks ``--only`` ids against them;
2. executes each with papermill (``--jobs`` at a time) into ``notebooks/<paper>/<id>_<slug>.ipynb``
   (git-ignored; written to a temporary file first, renamed when done);
3. writes a placeholder page for every notebook without an executed copy (``--only`` runs);
4. regenerates ``_toc.yml`` and the scorecard (``book/_generated/scorecard_body.md``) from the
   claims the notebooks saved;
5. builds the Jupyter Book (v1) HTML into ``_build/html`` and prints where it is.

A failing notebook fails the command, named with its failing cell's error, after the others ran
and the book was built (its page shows the traceback). Per-notebook times are printed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dlspectra.cache import atomic_write_text, repo_root
from dlspectra.errors import DlspectraError, UnknownNameError
from dlspectra.book.results import PAPERS, render_scorecard, results_root
from dlspectra.book.scales import FIGURE_IDS, SCALES, check_figure_id, check_scale

NOTEBOOK_RE = re.compile(r"^(?P<fig>(fig|tab|figA|thm)\w*?\d+|decomp)_(?P<slug>[a-z0-9_]+)\.py$")


def project_root() -> Path:
    """The book's folder (holding ``_config.yml`` and ``notebooks/``): ``$DLSPECTRA_BOOK_ROOT`` if set,
    else the checkout the package is installed from, else the cwd or one of its parents."""
    env = os.environ.get("DLSPECTRA_BOOK_ROOT")
    candidates = [Path(env)] if env else [repo_root(), Path.cwd(), *Path.cwd().parents]
    for cand in candidates:
        if cand is not None and (cand / "_config.yml").exists() and (cand / "notebooks").is_dir():
            return cand
    raise DlspectraError("cannot find the book (a folder with _config.yml and notebooks/); run from the checkout")


@dataclass
class Notebook:
    figure_id: str
    source: Path

    @property
    def executed(self) -> Path:
        return self.source.with_suffix(".ipynb")

    @property
    def doc(self) -> str:
        return str(self.source.relative_to(project_root()).with_suffix(""))

    @property
    def title(self) -> str:
        for line in self.source.read_text().splitlines():
            if line.startswith("# # "):
                return line[4:].strip()
        return self.figure_id


def discover(root: Path | None = None) -> dict[str, Notebook]:
    """Every notebook source, keyed by figure id (``xie/fig01``), in the catalogs' order."""
    root = root or project_root()
    found: dict[str, Notebook] = {}
    for paper in PAPERS:
        for src in sorted((root / "notebooks" / paper).glob("*.py")):
            m = NOTEBOOK_RE.match(src.name)
            if not m:
                raise DlspectraError(f"notebook file name {src} does not follow <id>_<slug>.py (e.g. fig03_optimizers.py)")
            fid = f"{paper}/{m.group('fig')}"
            check_figure_id(fid)
            if fid in found:
                raise DlspectraError(f"two notebooks for {fid}: {found[fid].source.name} and {src.name}")
            found[fid] = Notebook(fid, src)
    order = {f: i for i, f in enumerate(FIGURE_IDS)}
    return dict(sorted(found.items(), key=lambda kv: order[kv[0]]))


def select(notebooks: dict[str, Notebook], only: list[str] | None) -> list[Notebook]:
    """The notebooks named by ``--only`` (all when None); unknown ids raise listing the valid ones."""
    if not only:
        return list(notebooks.values())
    out = []
    for fid in only:
        if fid not in notebooks:
            if fid in FIGURE_IDS:
                raise UnknownNameError(f"{fid!r} has no notebook yet; notebooks: {', '.join(notebooks)}")
            raise UnknownNameError(f"unknown figure id {fid!r}; valid ids with notebooks: {', '.join(notebooks)}")
        out.append(notebooks[fid])
    return out


# ----------------------------------------------------------------------------- execution


@dataclass
class RunResult:
    figure_id: str
    seconds: float
    error: str | None = None


def execute(nb: Notebook, scale: str, device: str, timeout: int | None = None) -> RunResult:
    """Execute one notebook with papermill into its ``.ipynb`` (atomic); never raises for notebook errors.

    The kernel inherits this process's environment (``DLSPECTRA_*`` included).
    """
    import jupytext
    import papermill

    t0 = time.perf_counter()
    tmp_in = nb.source.with_name(f".{nb.source.stem}.in.ipynb")
    tmp_out = nb.source.with_name(f".{nb.source.stem}.out.ipynb")
    error = None
    try:
        doc = jupytext.read(nb.source)
        for cell in doc.cells:  # the reader sees papermill's injected values, not the defaults
            tags = cell.metadata.get("tags", [])
            if "parameters" in tags and "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]
        jupytext.write(doc, tmp_in, fmt="ipynb")
        try:
            papermill.execute_notebook(str(tmp_in), str(tmp_out), parameters={"scale": scale, "device": device},
                                       kernel_name="python3", cwd=str(nb.source.parent), progress_bar=False,
                                       execution_timeout=timeout)
        except papermill.PapermillExecutionError as exc:
            error = f"code cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        except Exception as exc:  # noqa: BLE001 - kernel death, timeouts: report, do not crash the build
            error = f"{type(exc).__name__}: {exc}"
        if tmp_out.exists():
            os.replace(tmp_out, nb.executed)
    finally:
        tmp_in.unlink(missing_ok=True)
        tmp_out.unlink(missing_ok=True)
    return RunResult(nb.figure_id, time.perf_counter() - t0, error)


def write_placeholder(nb: Notebook, scale: str) -> None:
    """A page for a notebook that was not executed in this build (so the book still links it)."""
    import nbformat

    text = (f"# {nb.title}\n\n```{{note}}\nThis page was not executed in this build. Run\n"
            f"`dlspectra book --scale {scale} --only {nb.figure_id}` (or `make book`) to compute it.\n```\n")
    doc = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    doc.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    atomic_write_text(nb.executed, nbformat.writes(doc))


# ----------------------------------------------------------------------------- book pages


def render_toc(notebooks: dict[str, Notebook]) -> str:
    """The ``_toc.yml`` for the book: intro, methods, one part per paper with its figures, scorecard."""
    lines = ["# Generated by `dlspectra toc` from the notebooks present: edit the generator, not this file.",
             "format: jb-book", "root: book/intro", "parts:",
             "  - caption: Reading this book", "    chapters:",
             "      - file: book/methods", "      - file: book/scorecard"]
    captions = {"xie": "Xie et al. — power-law Hessian spectra",
                "papyan": "Papyan — class/cross-class structure",
                "bask": "Baskerville et al. — random matrix theory"}
    for paper in PAPERS:
        nbs = [nb for nb in notebooks.values() if nb.figure_id.startswith(paper + "/")]
        lines += [f"  - caption: {captions[paper]}", "    chapters:", f"      - file: book/{paper}"]
        if nbs:
            lines.append("        sections:")
            lines += [f"          - file: {nb.doc}" for nb in nbs]
    return "\n".join(lines) + "\n"


def write_toc(root: Path, notebooks: dict[str, Notebook]) -> bool:
    """Rewrite ``_toc.yml`` if it differs; returns whether it changed."""
    text = render_toc(notebooks)
    path = root / "_toc.yml"
    if path.exists() and path.read_text() == text:
        return False
    atomic_write_text(path, text)
    return True


def write_scorecard(root: Path, scale: str, failed: dict[str, str] | None = None) -> Path:
    path = root / "book" / "_generated" / "scorecard_body.md"
    atomic_write_text(path, render_scorecard(scale, failed=failed))
    return path


def build_html(root: Path) -> tuple[int, list[str]]:
    """Run ``jupyter-book build`` on ``root``; returns (exit code, warning lines)."""
    exe = Path(sys.executable).parent / "jupyter-book"
    if not exe.exists():
        raise DlspectraError(f"jupyter-book is not installed beside {sys.executable}: pip install 'dlspectra[book]'")
    proc = subprocess.run([str(exe), "build", str(root)], capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    warnings = [ln for ln in out.splitlines() if "WARNING" in ln or "ERROR" in ln]
    code = proc.returncode
    if code == 0 and not (root / "_build" / "html" / "index.html").exists():
        code, out = 1, out + "\njupyter-book exited 0 but wrote no _build/html/index.html"
    if code != 0:
        sys.stderr.write(out[-6000:])
    return code, warnings


# ----------------------------------------------------------------------------- commands


def cmd_book(args: argparse.Namespace) -> int:
    check_scale(args.scale)
    root = project_root()
    notebooks = discover(root)
    chosen = select(notebooks, args.only)
    if not args.skip_data_check:
        from dlspectra.data import verify_all

        problems = verify_all()
        if problems:
            raise DlspectraError("the data folder is incomplete or corrupt (fix it, or pass --skip-data-check "
                                 "to build with the pages that need it marked 'not run'):\n" + "\n".join(problems))
    jobs = max(1, args.jobs)
    # kernels inherit these: torch threads per notebook, and no progress bars inside the pages
    os.environ["DLSPECTRA_THREADS"] = str(max(1, (os.cpu_count() or 2) // jobs))
    os.environ.setdefault("DLSPECTRA_PROGRESS", "0")
    print(f"dlspectra book: scale={args.scale}, {len(chosen)} notebook(s), jobs={jobs}, results in {results_root()}",
          flush=True)
    t0 = time.perf_counter()
    results: list[RunResult] = []

    def run(nb: Notebook) -> RunResult:
        print(f"  start {nb.figure_id}", flush=True)
        res = execute(nb, args.scale, args.device, args.timeout)
        status = "FAILED: " + res.error if res.error else "ok"
        print(f"  done  {nb.figure_id:14s} {res.seconds:7.1f} s  {status}", flush=True)
        return res

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(run, chosen))
    for nb in notebooks.values():
        if not nb.executed.exists():
            write_placeholder(nb, args.scale)
    write_toc(root, notebooks)
    failed = {r.figure_id: r.error for r in results if r.error}
    write_scorecard(root, args.scale, failed)
    code = 0
    if not args.no_html:
        print("building HTML (jupyter-book) ...", flush=True)
        code, warnings = build_html(root)
        for w in warnings:
            print("  " + w)
        if code == 0:
            print(f"book: {root / '_build' / 'html' / 'index.html'}")
        else:
            print("jupyter-book build FAILED", file=sys.stderr)
    print("\nper-notebook times:")
    for r in sorted(results, key=lambda r: -r.seconds):
        print(f"  {r.figure_id:14s} {r.seconds:7.1f} s  {'FAILED' if r.error else 'ok'}")
    print(f"total {time.perf_counter() - t0:.1f} s")
    if failed:
        print("\nfailed notebooks:", file=sys.stderr)
        for fid, err in failed.items():
            print(f"  {fid}: {err}", file=sys.stderr)
        return 1
    return code


def cmd_list(args: argparse.Namespace) -> int:
    notebooks = discover()
    for fid in FIGURE_IDS:
        nb = notebooks.get(fid)
        print(f"{fid:14s} {nb.source.name if nb else '(no notebook yet)'}")
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    check_scale(args.scale)
    path = write_scorecard(project_root(), args.scale)
    print(path)
    return 0


def cmd_toc(args: argparse.Namespace) -> int:
    root = project_root()
    notebooks = discover(root)
    if args.check:
        current = (root / "_toc.yml").read_text() if (root / "_toc.yml").exists() else ""
        if current != render_toc(notebooks):
            print("_toc.yml is out of date: run `dlspectra toc`", file=sys.stderr)
            return 1
        return 0
    print("_toc.yml " + ("rewritten" if write_toc(root, notebooks) else "unchanged"))
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="dlspectra", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("book", help="execute notebooks, rebuild the scorecard and the HTML book")
    b.add_argument("--scale", default="ci", help=f"one of {', '.join(SCALES)} (default ci)")
    b.add_argument("--only", nargs="+", metavar="ID", help="figure ids such as xie/fig01 (default: all)")
    b.add_argument("--jobs", type=int, default=1, help="notebooks executed at once (default 1)")
    b.add_argument("--device", default="auto", help="torch device for the notebooks (default auto: CUDA if present)")
    b.add_argument("--timeout", type=int, default=None, help="per-cell timeout in seconds (default none)")
    b.add_argument("--no-html", action="store_true", help="execute and score only; skip jupyter-book")
    b.add_argument("--skip-data-check", action="store_true", help="do not verify the data folder before running")
    b.set_defaults(func=cmd_book)
    sub.add_parser("list", help="figure ids and their notebooks").set_defaults(func=cmd_list)
    s = sub.add_parser("scorecard", help="regenerate the scorecard page from saved claims")
    s.add_argument("--scale", default="ci")
    s.set_defaults(func=cmd_scorecard)
    t = sub.add_parser("toc", help="regenerate _toc.yml from the notebooks present")
    t.add_argument("--check", action="store_true", help="fail if _toc.yml is out of date")
    t.set_defaults(func=cmd_toc)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DlspectraError as exc:
        print(f"dlspectra: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
