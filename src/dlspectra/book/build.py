"""``dlspectra book``: one build, step by step.

1. finds the book upward from the current folder (named in the first line of output), makes every
   path setting absolute (``DLSPECTRA_DATA``, ``_CACHE``, ``_RESULTS``), checks the scale, the
   device, the ``--only`` ids and the data, and says when the machine is already loaded;
2. skips each page whose key (source, package code, data, scale, device) is unchanged since a run
   that finished (:mod:`dlspectra.book.pagecache`; ``--force`` re-runs), clears the record and
   claims of every other, and executes them (:mod:`dlspectra.book.runner`): in this process for
   ``--jobs 1``, else as tasks of a Dask client (``--jobs N`` local worker processes with
   ``cores // N`` threads each, or ``--cluster`` / ``$DLSPECTRA_DASK_SCHEDULER``), printing each
   page's verdict counts as it ends;
3. regenerates ``_toc.yml``; stages ``_build/book/<scale>/`` with the scorecard
   (:mod:`dlspectra.book.stage`);
4. builds the Jupyter Book (v1) HTML into ``_build/html`` and checks every page's outputs
   (:mod:`dlspectra.book.site`); prints the verdicts per paper and the per-page times.

A failing notebook fails the command, named with its failing cell's error, after the others ran
and the book was built (its page shows the traceback). Ctrl-C stops the running kernel at once and
exits 130.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from dlspectra.errors import DlspectraError
from dlspectra.book import pagecache, report
from dlspectra.book.catalog import Notebook, discover, project_root, select, write_toc
from dlspectra.book.paths import pages_dir, resolve_settings
from dlspectra.book.runner import (RunResult, book_keys, check_device, close_client, in_process_threads, interrupt_handler,
                                   key_device, open_client, page_spec, run_pages, stop_client_kernels, write_outcome)
from dlspectra.book.scales import check_scale
from dlspectra.book.site import build_html, check_site, ensure_mathjax
from dlspectra.book.stage import scorecard_path, stage_book, write_scorecard


@dataclass
class BuildOptions:
    """The options of ``dlspectra book`` (see ``dlspectra book --help``)."""

    scale: str = "ci"
    only: list[str] | None = None
    jobs: int = 1
    cluster: str | None = None
    force: bool = False
    device: str = "auto"
    timeout: int | None = None
    no_html: bool = False
    skip_data_check: bool = False
    smoke: bool = False


def data_state(skip_check: bool) -> str:
    """``verified`` after checking the data folder against its checksums (raising on a problem), or ``unchecked``."""
    if skip_check:
        return "unchecked"
    from dlspectra.data import verify_all

    problems = verify_all()
    if problems:
        raise DlspectraError("the data folder is incomplete or corrupt (fix it, or pass --skip-data-check to "
                             "build anyway: pages whose files are missing record 'not run: data missing', "
                             "pages reading a corrupt file fail):\n" + "\n".join(problems))
    return "verified"


def thread_plan(jobs: int, address: str | None) -> tuple[int | None, str]:
    """(kernel threads per page, or None when a remote cluster decides; a line saying so)."""
    from dlspectra.cluster import available_cores, threads_for

    cores = available_cores()
    if address is not None:
        return None, f"threads: as the workers of {address} set them (cores // workers per host)"
    threads = in_process_threads() if jobs == 1 else threads_for(jobs, cores)
    where = "in this process" if jobs == 1 else f"{jobs} worker processes"
    return threads, (f"threads: {jobs} page(s) at a time ({where}) x {threads} thread(s) on {cores} core(s); "
                     "OpenMP waits passively")


def build_book(opts: BuildOptions) -> int:
    """Run one build (see the module docstring); returns the exit code."""
    from dlspectra.cluster import load_warning, thread_env

    root = project_root()
    print(f"dlspectra book: checkout {root}", flush=True)
    check_scale(opts.scale)
    settings = resolve_settings(root)
    address = opts.cluster or os.environ.get("DLSPECTRA_DASK_SCHEDULER") or None
    check_device(opts.device, remote=address is not None)
    if opts.jobs < 1:
        raise DlspectraError(f"--jobs must be at least 1, got {opts.jobs}")
    notebooks = discover(root)
    chosen = select(notebooks, opts.only)
    mathjax = None if opts.no_html else ensure_mathjax(root)
    state = data_state(opts.skip_data_check)
    threads, threads_line = thread_plan(opts.jobs, address)
    print(threads_line, flush=True)
    busy = load_warning(opts.jobs * (threads or 1)) if address is None else None
    if busy:
        print(f"note: {busy}", flush=True)
    store, banner, env = opts.scale, None, {**settings, "DLSPECTRA_BOOK_ROOT": str(root),
                                            **(thread_env(threads) if threads else {})}
    variant = ""
    if opts.smoke:
        from dlspectra.book import smoke

        store, banner, variant = smoke.store(opts.scale), smoke.banner(opts.scale), f"smoke-{smoke.digest()}"
        env.update(smoke.smoke_env(), DLSPECTRA_CACHE=str(Path(settings["DLSPECTRA_CACHE"]) / variant))
        print(f"smoke run of scale {opts.scale}: budgets capped (dlspectra.book.smoke), claims recorded "
              f"'not run: scale'; pages under {pages_dir(root, store)}, cache {env['DLSPECTRA_CACHE']}", flush=True)
    keys = book_keys(notebooks, opts.scale, key_device(opts.device, address is not None), state, variant)
    run_id = uuid.uuid4().hex
    todo: list[tuple[Notebook, dict]] = []
    skipped: list[str] = []
    for nb in chosen:
        if not opts.force and pagecache.staleness(nb.executed(store), nb.claims(store), keys[nb.figure_id], store) is None:
            skipped.append(nb.figure_id)
            continue
        pagecache.clear(nb.executed(store), nb.claims(store))
        todo.append((nb, page_spec(nb, scale=opts.scale, device=opts.device, timeout=opts.timeout, env=env,
                                   banner=banner)))
    print(f"scale={opts.scale}: {len(todo)} notebook(s) to run, {len(skipped)} unchanged (skipped; --force re-runs), "
          f"{'cluster ' + address if address else f'jobs={opts.jobs}'}; results in {settings['DLSPECTRA_RESULTS']}, "
          f"pages in {pages_dir(root, store)}", flush=True)
    for fid in skipped:
        print(f"  skip  {fid} (unchanged since its last run)", flush=True)
    t0 = time.perf_counter()
    results: list[RunResult] = []

    def on_done(nb: Notebook, res: dict) -> None:
        r = write_outcome(nb, store, res, keys[nb.figure_id], run_id, smoke=opts.smoke)
        results.append(r)
        print(report.done_line(r.figure_id, r.seconds, r.status, r.error, r.verdicts, r.peak_rss_mb), flush=True)

    client = None
    previous = signal.signal(signal.SIGINT, interrupt_handler)
    try:
        if todo:
            if address is not None or opts.jobs > 1:
                client, link = open_client(opts.jobs, address)
                if link:
                    print(f"Dask dashboard: {link}", flush=True)
            run_pages(todo, client, on_done)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if client is not None:
            stop_client_kernels(client)
        client = None
        print(f"dlspectra book: interrupted after {len(results)} of {len(todo)} notebook(s); the running one was "
              "stopped and its claims not counted", file=sys.stderr, flush=True)
        previous = signal.SIG_IGN  # further Ctrl-C while we exit change nothing
        return 130
    finally:
        if client is not None:
            close_client(client)
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
    write_toc(root, notebooks)
    failed = {r.figure_id: f"{r.status}: {r.error}" for r in results if r.error}
    stage = stage_book(root, store, notebooks, keys, mathjax)
    write_scorecard(root, store, failed, keys=keys, notebooks=notebooks)
    code = 0
    if not opts.no_html:
        code = _html(root, stage, store, notebooks, failed, settings)
    else:
        print(f"scorecard: {scorecard_path(root, store)}")
    _summary(results, time.perf_counter() - t0)
    if failed:
        print("\nfailed notebooks:", file=sys.stderr)
        for fid, err in failed.items():
            print(f"  {fid}: {err}", file=sys.stderr)
        return 1
    return code


def _html(root: Path, stage: Path, store: str, notebooks: dict[str, Notebook], failed: dict[str, str],
          settings: dict[str, str]) -> int:
    print("building HTML (jupyter-book) ...", flush=True)
    code, warnings = build_html(root, stage, store)
    for w in warnings:
        print("  " + w)
    if code != 0:
        print("jupyter-book build FAILED", file=sys.stderr)
        return code
    print(f"book: {root / '_build' / 'html' / 'index.html'}")
    local = tuple(sorted({str(root), str(Path.home()), *settings.values()}, key=len, reverse=True))
    findings = check_site(root, [nb.doc for nb in notebooks.values() if nb.figure_id not in failed], local)
    if findings:
        print("\npages showing what a reader should not see:", file=sys.stderr)
        for doc, found in findings.items():
            for f in found:
                print(f"  {doc}: {f}", file=sys.stderr)
        return 3
    from dlspectra.book.readercheck import run_reader_check

    return run_reader_check(root / "_build" / "html")  # every page as a reader sees it (headless Chromium)


def _summary(results: list[RunResult], total: float) -> None:
    """The verdicts per paper of the pages this build ran, and their times."""
    if results:
        print("\nverdicts of the pages run in this build:")
        print(report.verdict_table({r.figure_id: r.verdicts for r in results if not r.error},
                                   [r.figure_id for r in results if r.error]))
    print("\nper-notebook times:")
    for r in sorted(results, key=lambda r: -r.seconds):
        print(f"  {r.figure_id:14s} {r.seconds:7.1f} s  {'ok' if not r.error else r.status.upper()}")
    print(f"total {total:.1f} s")
