"""Command line: ``dlspectra book``, ``dlspectra list``, ``dlspectra scorecard``, ``dlspectra toc``.

``dlspectra book --scale ci [--only xie/fig01 ...] [--jobs 2 | --cluster ADDRESS] [--force] [--no-html]``

1. finds the book upward from the current folder (named in the first line of output), makes every
   path setting absolute (``DLSPECTRA_DATA``, ``_CACHE``, ``_RESULTS``), checks the scale, the
   device, the ``--only`` ids and the data;
2. skips each page whose key (source, package code, data, scale, device) is unchanged since a run
   that finished (:mod:`dlspectra.book.pagecache`; ``--force`` re-runs), clears the record and
   claims of every other, and executes them with papermill (:mod:`dlspectra.book.execute`): in this
   process for ``--jobs 1``, else as tasks of a Dask client (``--jobs N`` local worker processes, or
   ``--cluster`` / ``$DLSPECTRA_DASK_SCHEDULER``). The client writes each executed page to
   ``_build/pages/<scale>/<paper>/<stem>.ipynb`` (apart from the reader's ``notebooks/``), its
   claims to ``$DLSPECTRA_RESULTS/<scale>/`` and a run record, all atomically;
3. regenerates ``_toc.yml``; assembles ``_build/book/<scale>/`` (config, toc, hand-written pages,
   this scale's executed pages, a placeholder for every other page) with the scorecard, which
   counts only the claims of pages current at this scale;
4. builds the Jupyter Book (v1) HTML into ``_build/html`` and checks every page's outputs for
   Python warnings, tracebacks and local paths.

A failing notebook fails the command, named with its failing cell's error, after the others ran
and the book was built (its page shows the traceback). Ctrl-C stops the running kernel at once and
exits 130. Per-notebook times are printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from dlspectra.cache import atomic_write_text
from dlspectra.errors import DlspectraError, UnknownNameError
from dlspectra.book import pagecache
from dlspectra.book.execute import NotebookFailed, run_notebook, run_notebook_safely, stop_running_kernels
from dlspectra.book.paths import find_checkout, pages_dir, resolve_settings, staging_dir
from dlspectra.book.results import PAPERS, ClaimRecorder, results_root
from dlspectra.book.scorecard import render_scorecard
from dlspectra.book.scales import FIGURE_IDS, SCALES, check_figure_id, check_scale

NOTEBOOK_RE = re.compile(r"^(?P<fig>(fig|tab|figA|thm)\w*?\d+|decomp)_(?P<slug>[a-z0-9_]+)\.py$")


def project_root() -> Path:
    """The book's folder (``_config.yml`` and ``notebooks/``): ``$DLSPECTRA_BOOK_ROOT`` if set, else the
    current folder or its first parent that holds one (never where the package is installed)."""
    return find_checkout()


@dataclass
class Notebook:
    figure_id: str
    source: Path

    @property
    def root(self) -> Path:
        return self.source.parents[2]

    @property
    def doc(self) -> str:
        """The page's doc path in the book, e.g. ``notebooks/xie/fig01_trained_vs_random``."""
        return str(self.source.relative_to(self.root).with_suffix(""))

    def executed(self, scale: str) -> Path:
        """The executed page of ``scale`` (``_build/pages/<scale>/<paper>/<stem>.ipynb``)."""
        return pages_dir(self.root, scale) / self.source.parent.name / f"{self.source.stem}.ipynb"

    def claims(self, scale: str) -> Path:
        """Where this page's claims JSON of ``scale`` lives."""
        return ClaimRecorder(self.figure_id, scale).path(results_root())

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
    for fid in dict.fromkeys(only):  # an id named twice runs once
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
    status: str = pagecache.OK


def write_placeholder(path: Path, nb: Notebook, scale: str, why: str = "") -> None:
    """A page for a notebook that has no current executed page at ``scale`` (so the book still links it)."""
    import nbformat

    reason = f" ({why})" if why else ""
    text = (f"# {nb.title}\n\n```{{note}}\nThis page has no executed copy at scale `{scale}` in this build{reason}. Run\n"
            f"`dlspectra book --scale {scale} --only {nb.figure_id}` (or `make book`) to compute it.\n```\n")
    doc = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    doc.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    atomic_write_text(path, nbformat.writes(doc))


def check_device(device: str, remote: bool) -> None:
    """Fail once, up front, on a device name torch does not know (or CUDA asked for where there is none)."""
    if device == "auto":
        return
    import torch

    try:
        dev = torch.device(device)
    except (RuntimeError, ValueError) as exc:
        raise DlspectraError(f"unknown device {device!r} ({exc}); use auto, cpu, cuda or cuda:N") from None
    if not remote and dev.type == "cuda" and not torch.cuda.is_available():
        raise DlspectraError(f"device {device!r} asked for, but this machine has no CUDA device; use --device cpu or auto")


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


def _write_outcome(nb: Notebook, scale: str, res: dict, key: str, run_id: str) -> RunResult:
    """Write what one run returned: executed page, claims (only from a finished run), run record."""
    executed = nb.executed(scale)
    if res.get("executed"):
        atomic_write_text(executed, res["executed"])
    else:  # the kernel never ran it: an older page must not stand in for this run
        executed.unlink(missing_ok=True)
    claims = res.get("claims")
    if res["status"] == pagecache.OK and claims is not None:
        claims = {**claims, "run_id": run_id, "page": nb.doc, "scale": scale}
        atomic_write_text(nb.claims(scale), json.dumps(claims, indent=1))
    pagecache.write_record(executed, figure_id=nb.figure_id, scale=scale, key=key, run_id=run_id,
                           status=res["status"], error=res.get("error"), seconds=res["seconds"])
    return RunResult(nb.figure_id, res["seconds"], res.get("error"), res["status"])


def _failure_of(nb: Notebook, exc: BaseException, seconds: float) -> dict:
    if isinstance(exc, NotebookFailed):
        return exc.result
    return {"figure_id": nb.figure_id, "status": pagecache.FAILED, "executed": None, "claims": None,
            "error": f"the task failed on its worker: {type(exc).__name__}: {exc}", "seconds": seconds}


def _get_client(jobs: int, address: str | None):
    """(Dask client, dashboard link or None): ``dlspectra.cluster.get_client`` (N local worker
    processes, one thread and ``cores // N`` torch threads each, or the scheduler at ``address``)."""
    try:
        from dlspectra.cluster import dashboard_link, get_client
    except ImportError:  # the library's cluster module not there: the same local cluster, made here
        return _local_client(jobs, address)
    client = get_client(jobs, address, dashboard=True)
    return client, (dashboard_link(client) if client is not None else None)


def _local_client(jobs: int, address: str | None):
    from distributed import Client, LocalCluster

    if address:
        return Client(address, timeout=10, set_as_default=False), None
    threads = str(max(1, (os.cpu_count() or 1) // jobs))
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0",
                           env={"DLSPECTRA_THREADS": threads, "OMP_NUM_THREADS": threads})
    client = Client(cluster, set_as_default=False)
    return client, client.dashboard_link


def _close_client(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None and not isinstance(cluster, str):
        try:
            cluster.close()
        except Exception:  # noqa: BLE001 - closing after a crash or twice is harmless
            pass


def run_pages(todo: list[tuple[Notebook, dict]], client, report) -> None:
    """Execute ``(notebook, spec)`` pairs in this process (``client`` None) or on ``client``; ``report(nb, result)`` each."""
    from dlspectra.progress import progress_bar

    with progress_bar(total=len(todo), desc="pages", unit="page", file=sys.stderr) as bar:
        if client is None:
            for nb, spec in todo:
                print(f"  start {nb.figure_id}", flush=True)
                report(nb, run_notebook_safely(spec))
                bar.update(1)
            return
        from distributed import as_completed

        t0 = time.perf_counter()
        by_key = {}
        futures = []
        for nb, spec in todo:
            fut = client.submit(run_notebook, spec, key=f"page-{nb.figure_id.replace('/', '-')}-{uuid.uuid4().hex[:8]}",
                                pure=False)
            by_key[fut.key] = nb
            futures.append(fut)
        try:
            for fut in as_completed(futures, loop=client.loop):
                nb = by_key[fut.key]
                if fut.status == "finished":
                    res = fut.result()
                else:
                    res = _failure_of(nb, fut.exception(), time.perf_counter() - t0)
                report(nb, res)
                bar.update(1)
        finally:
            for fut in futures:
                fut.cancel()


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


# ----------------------------------------------------------------------------- commands


def _on_interrupt(signum, frame):  # noqa: ARG001
    """First Ctrl-C: kill the running kernels and stop now (KeyboardInterrupt); further ones are ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop_running_kernels()
    raise KeyboardInterrupt


def key_device(device: str, remote: bool) -> str:
    """The device as it enters a page's key: ``auto`` resolved to what it means on this machine (a
    CPU build and a GPU build differ), left as asked for on a remote cluster."""
    if remote or device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def book_keys(notebooks: dict[str, Notebook], scale: str, device: str, data_state: str) -> dict[str, str]:
    """Today's key of every page (see :mod:`dlspectra.book.pagecache`)."""
    import dlspectra

    package = Path(dlspectra.__file__).resolve().parent
    return {fid: pagecache.page_key(nb.source, scale, device, package_dir=package, data_state=data_state)
            for fid, nb in notebooks.items()}


def page_states(notebooks: dict[str, Notebook], scale: str, keys: dict[str, str]) -> dict[str, str | None]:
    """``{id: None if current else why not}`` for every page."""
    return {fid: pagecache.staleness(nb.executed(scale), nb.claims(scale), keys[fid], scale)
            for fid, nb in notebooks.items()}


def scorecard_inputs(notebooks: dict[str, Notebook], scale: str, keys: dict[str, str]):
    """(accept, pages) for :func:`render_scorecard`: only claims of pages current at ``scale`` count."""
    states = page_states(notebooks, scale, keys)

    def accept(result: dict) -> str | None:
        fid = result.get("notebook")
        if fid not in notebooks:
            return "its notebook is gone"
        return states[fid]

    pages = []
    for fid, nb in notebooks.items():
        rec = pagecache.read_record(nb.executed(scale))
        if states[fid] is None:
            status = "ok"
        elif rec is None:
            status = "not run at this scale"
        elif rec is not None and rec.get("status") != pagecache.OK and rec.get("key") == keys[fid]:
            status = f"{rec['status']}: {rec.get('error')}"
        else:
            status = f"not counted: {states[fid]}"
        pages.append({"notebook": fid, "page": nb.doc, "status": status})
    return accept, pages


def write_scorecard(root: Path, scale: str, failed: dict[str, str] | None = None, *, keys: dict[str, str] | None = None,
                    notebooks: dict[str, Notebook] | None = None) -> Path:
    """Write ``_build/book/<scale>/book/_generated/scorecard_body.md``; returns its path."""
    notebooks = notebooks if notebooks is not None else discover(root)
    accept, pages = scorecard_inputs(notebooks, scale, keys) if keys is not None else (None, None)
    path = staging_dir(root, scale) / "book" / "_generated" / "scorecard_body.md"
    atomic_write_text(path, render_scorecard(scale, failed=failed, accept=accept, pages=pages))
    return path


def stage_book(root: Path, scale: str, notebooks: dict[str, Notebook], keys: dict[str, str],
               mathjax: Path | None) -> Path:
    """Assemble ``_build/book/<scale>`` from the checkout and this scale's executed pages; returns it."""
    import yaml

    stage = staging_dir(root, scale)
    for sub in ("book", "notebooks"):
        shutil.rmtree(stage / sub, ignore_errors=True)
    shutil.copytree(root / "book", stage / "book", ignore=shutil.ignore_patterns("_generated"))
    config = yaml.safe_load((root / "_config.yml").read_text())
    if mathjax is not None:
        config.setdefault("sphinx", {}).setdefault("config", {})["html_static_path"] = [str(mathjax)]
    atomic_write_text(stage / "_config.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    atomic_write_text(stage / "_toc.yml", render_toc(notebooks))
    states = page_states(notebooks, scale, keys)
    for fid, nb in notebooks.items():
        dest = stage / f"{nb.doc}.ipynb"
        dest.parent.mkdir(parents=True, exist_ok=True)
        executed = nb.executed(scale)
        rec = pagecache.read_record(executed)
        shown = executed.exists() and rec is not None and rec.get("key") == keys[fid]
        if shown and (states[fid] is None or rec.get("status") != pagecache.OK):
            shutil.copyfile(executed, dest)  # current, or this source's failed run (its traceback shows)
        else:
            write_placeholder(dest, nb, scale, states[fid] or "")
    return stage


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


def cmd_book(args: argparse.Namespace) -> int:
    root = project_root()
    print(f"dlspectra book: checkout {root}", flush=True)
    check_scale(args.scale)
    settings = resolve_settings(root)
    address = args.cluster or os.environ.get("DLSPECTRA_DASK_SCHEDULER") or None
    check_device(args.device, remote=address is not None)
    if args.jobs < 1:
        raise DlspectraError(f"--jobs must be at least 1, got {args.jobs}")
    notebooks = discover(root)
    chosen = select(notebooks, args.only)
    mathjax = None if args.no_html else ensure_mathjax(root)
    if args.skip_data_check:
        data_state = "unchecked"
    else:
        from dlspectra.data import verify_all

        problems = verify_all()
        if problems:
            raise DlspectraError("the data folder is incomplete or corrupt (fix it, or pass --skip-data-check to "
                                 "build anyway: pages whose files are missing record 'not run: data missing', "
                                 "pages reading a corrupt file fail):\n" + "\n".join(problems))
        data_state = "verified"
    keys = book_keys(notebooks, args.scale, key_device(args.device, address is not None), data_state)
    run_id = uuid.uuid4().hex
    todo, skipped = [], []
    for nb in chosen:
        if not args.force and pagecache.staleness(nb.executed(args.scale), nb.claims(args.scale),
                                                  keys[nb.figure_id], args.scale) is None:
            skipped.append(nb.figure_id)
            continue
        pagecache.clear(nb.executed(args.scale), nb.claims(args.scale))
        env = {k: v for k, v in settings.items()}
        env["DLSPECTRA_BOOK_ROOT"] = str(root)
        todo.append((nb, {"figure_id": nb.figure_id, "source_text": nb.source.read_text(), "source_path": str(nb.source),
                          "scale": args.scale, "device": args.device, "timeout": args.timeout, "env": env}))
    jobs = args.jobs
    print(f"scale={args.scale}: {len(todo)} notebook(s) to run, {len(skipped)} unchanged (skipped; --force re-runs), "
          f"{'cluster ' + address if address else f'jobs={jobs}'}; results in {settings['DLSPECTRA_RESULTS']}, "
          f"pages in {pages_dir(root, args.scale)}", flush=True)
    for fid in skipped:
        print(f"  skip  {fid} (unchanged since its last run)", flush=True)
    t0 = time.perf_counter()
    results: list[RunResult] = []

    def report(nb: Notebook, res: dict) -> None:
        r = _write_outcome(nb, args.scale, res, keys[nb.figure_id], run_id)
        results.append(r)
        status = f"{r.status.upper()}: {r.error}" if r.error else "ok"
        print(f"  done  {nb.figure_id:14s} {r.seconds:7.1f} s  {status}", flush=True)

    client = None
    previous = signal.signal(signal.SIGINT, _on_interrupt)
    try:
        if todo:
            if address is not None or jobs > 1:
                client, link = _get_client(jobs, address)
                if link:
                    print(f"Dask dashboard: {link}", flush=True)
            else:  # one page at a time in this process: all the cores, unless DLSPECTRA_THREADS says otherwise
                threads = os.environ.get("DLSPECTRA_THREADS") or str(max(1, os.cpu_count() or 1))
                for _nb, spec in todo:
                    spec["env"]["DLSPECTRA_THREADS"] = threads
            run_pages(todo, client, report)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if client is not None:
            try:  # the workers' kernels first: they are not the workers' children once those die
                client.run(stop_running_kernels, wait=True)
            except Exception:  # noqa: BLE001 - a worker already gone
                pass
            _close_client(client)
        client = None
        print(f"dlspectra book: interrupted after {len(results)} of {len(todo)} notebook(s); the running one was "
              "stopped and its claims not counted", file=sys.stderr, flush=True)
        previous = signal.SIG_IGN  # further Ctrl-C while we exit change nothing
        return 130
    finally:
        if client is not None:
            _close_client(client)
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
    write_toc(root, notebooks)
    failed = {r.figure_id: f"{r.status}: {r.error}" for r in results if r.error}
    stage = stage_book(root, args.scale, notebooks, keys, mathjax)
    write_scorecard(root, args.scale, failed, keys=keys, notebooks=notebooks)
    code = 0
    if not args.no_html:
        print("building HTML (jupyter-book) ...", flush=True)
        code, warnings = build_html(root, stage, args.scale)
        for w in warnings:
            print("  " + w)
        if code == 0:
            print(f"book: {root / '_build' / 'html' / 'index.html'}")
            from dlspectra.book.htmlcheck import check_book

            local = tuple(sorted({str(root), str(Path.home()), *settings.values()}, key=len, reverse=True))
            findings = check_book(root / "_build" / "html", [nb.doc for nb in notebooks.values()
                                                              if nb.figure_id not in failed], local)
            if findings:
                print("\npages showing what a reader should not see:", file=sys.stderr)
                for doc, found in findings.items():
                    for f in found:
                        print(f"  {doc}: {f}", file=sys.stderr)
                code = code or 3
        else:
            print("jupyter-book build FAILED", file=sys.stderr)
    else:
        print(f"scorecard: {staging_dir(root, args.scale) / 'book' / '_generated' / 'scorecard_body.md'}")
    print("\nper-notebook times:")
    for r in sorted(results, key=lambda r: -r.seconds):
        print(f"  {r.figure_id:14s} {r.seconds:7.1f} s  {'ok' if not r.error else r.status.upper()}")
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
    root = project_root()
    resolve_settings(root)
    notebooks = discover(root)
    remote = bool(os.environ.get("DLSPECTRA_DASK_SCHEDULER"))
    keys = book_keys(notebooks, args.scale, key_device(args.device, remote),
                     "unchecked" if args.skip_data_check else "verified")
    path = write_scorecard(root, args.scale, keys=keys, notebooks=notebooks)
    print(path)
    return 0


def cmd_toc(args: argparse.Namespace) -> int:
    root = project_root()
    print(f"dlspectra toc: checkout {root}", file=sys.stderr)
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
    b.add_argument("--jobs", type=int, default=1,
                   help="local Dask worker processes running notebooks at once (default 1: in this process)")
    b.add_argument("--cluster", metavar="ADDRESS", default=None,
                   help="run the notebooks on a running Dask scheduler (default $DLSPECTRA_DASK_SCHEDULER)")
    b.add_argument("--force", action="store_true", help="re-run pages whose key is unchanged")
    b.add_argument("--device", default="auto", help="torch device for the notebooks (default auto: CUDA if present)")
    b.add_argument("--timeout", type=int, default=None, help="per-cell timeout in seconds (default none)")
    b.add_argument("--no-html", action="store_true", help="execute and score only; skip jupyter-book")
    b.add_argument("--skip-data-check", action="store_true", help="do not verify the data folder before running")
    b.set_defaults(func=cmd_book)
    sub.add_parser("list", help="figure ids and their notebooks").set_defaults(func=cmd_list)
    s = sub.add_parser("scorecard", help="regenerate the scorecard page from saved claims")
    s.add_argument("--scale", default="ci")
    s.add_argument("--device", default="auto", help="the device the build ran with (part of each page's key)")
    s.add_argument("--skip-data-check", action="store_true", help="the build ran with --skip-data-check")
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
    except KeyboardInterrupt:
        print("dlspectra: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
