"""Running the pages of a build: in this process or as tasks of a Dask client, and writing what comes back.

- :func:`page_spec`: the plain, picklable task of one page (its source text, scale, device, the
  environment its kernel gets: path settings and the thread budget of :func:`dlspectra.cluster.thread_env`);
- :func:`open_client` / :func:`close_client`: the Dask client of ``--jobs N`` (N local worker
  processes, ``cores // N`` torch threads each) or of ``--cluster ADDRESS``; None runs in this process;
- :func:`run_pages`: execute the pages (:func:`dlspectra.book.execute.run_notebook`), calling
  ``report(notebook, result)`` as each one ends, in the order they end;
- :func:`write_outcome`: what one run returned, written atomically: the executed page
  (``_build/pages/<scale>/...``), its claims (only from a finished run, stamped with the run id)
  and its run record (:mod:`dlspectra.book.pagecache`);
- :func:`interrupt_handler`: the first Ctrl-C kills the running kernels and stops the build.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from dlspectra.cache import atomic_write_text
from dlspectra.errors import DlspectraError
from dlspectra.book import pagecache
from dlspectra.book.catalog import Notebook
from dlspectra.book.execute import NotebookFailed, run_notebook, run_notebook_safely, stop_running_kernels


@dataclass
class RunResult:
    """How one page's run ended: seconds, status, error line and the verdicts it recorded."""

    figure_id: str
    seconds: float
    error: str | None = None
    status: str = pagecache.OK
    verdicts: list[str] = field(default_factory=list)
    peak_rss_mb: float | None = None


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


def key_device(device: str, remote: bool) -> str:
    """The device as it enters a page's key: ``auto`` resolved to what it means on this machine (a
    CPU build and a GPU build differ), left as asked for on a remote cluster."""
    if remote or device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def book_keys(notebooks: dict[str, Notebook], scale: str, device: str, data_state: str,
              variant: str = "") -> dict[str, str]:
    """Today's key of every page (see :mod:`dlspectra.book.pagecache`); ``variant`` (e.g. ``smoke``)
    is part of the device string, so a smoke run never stands in for a full one."""
    import dlspectra

    package = Path(dlspectra.__file__).resolve().parent
    dev = f"{device}+{variant}" if variant else device
    return {fid: pagecache.page_key(nb.source, scale, dev, package_dir=package, data_state=data_state)
            for fid, nb in notebooks.items()}


def page_spec(nb: Notebook, *, scale: str, device: str, timeout: int | None, env: dict[str, str],
              banner: str | None = None) -> dict:
    """The task of one page for :func:`dlspectra.book.execute.run_notebook` (plain data: it travels to a worker)."""
    return {"figure_id": nb.figure_id, "source_text": nb.source.read_text(), "source_path": str(nb.source),
            "scale": scale, "device": device, "timeout": timeout, "env": dict(env), "banner": banner}


def write_outcome(nb: Notebook, store: str, res: dict, key: str, run_id: str, *, smoke: bool = False) -> RunResult:
    """Write what one run returned under the build's ``store`` (the scale, or ``<scale>-smoke``):
    executed page, claims (only from a finished run; a smoke run's recorded "not run: scale",
    :func:`dlspectra.book.smoke.mark_claims`), run record (with the page's peak memory and products)."""
    executed = nb.executed(store)
    if res.get("executed"):
        atomic_write_text(executed, res["executed"])
    else:  # the kernel never ran it: an older page must not stand in for this run
        executed.unlink(missing_ok=True)
    claims = res.get("claims")
    verdicts: list[str] = []
    if res["status"] == pagecache.OK and claims is not None:
        if smoke:
            from dlspectra.book.smoke import mark_claims

            claims = mark_claims(claims)
        claims = {**claims, "run_id": run_id, "page": nb.doc, "scale": store}
        verdicts = [c.get("verdict", "") for c in claims.get("claims", [])]
        atomic_write_text(nb.claims(store), json.dumps(claims, indent=1))
    pagecache.write_record(executed, figure_id=nb.figure_id, scale=store, key=key, run_id=run_id,
                           status=res["status"], error=res.get("error"), seconds=res["seconds"],
                           peak_rss_mb=res.get("peak_rss_mb"), products=res.get("products") or [], smoke=smoke,
                           cache_bytes=res.get("cache_bytes"))
    return RunResult(nb.figure_id, res["seconds"], res.get("error"), res["status"], verdicts, res.get("peak_rss_mb"))


def _failure_of(nb: Notebook, exc: BaseException, seconds: float) -> dict:
    if isinstance(exc, NotebookFailed):
        return exc.result
    return {"figure_id": nb.figure_id, "status": pagecache.FAILED, "executed": None, "claims": None,
            "error": f"the task failed on its worker: {type(exc).__name__}: {exc}", "seconds": seconds}


def open_client(jobs: int, address: str | None):
    """(Dask client, dashboard link or None) for ``jobs`` local workers or the scheduler at ``address``
    (:func:`dlspectra.cluster.get_client`)."""
    from dlspectra.cluster import dashboard_link, get_client

    client = get_client(jobs, address, dashboard=True)
    return client, (dashboard_link(client) if client is not None else None)


def close_client(client) -> None:
    """Close a client of :func:`open_client` (and its local cluster); None is a no-op."""
    from dlspectra.cluster import close_client as _close

    _close(client)


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
        slots = client_slots(client)
        queue = list(todo)
        unfinished = {nb.figure_id for nb, _ in todo}
        by_key: dict = {}
        futures: list = []
        running = as_completed(loop=client.loop)

        def submit_ready() -> None:
            while queue and running.count() < slots:
                i = next_ready([nb.figure_id for nb, _ in queue], unfinished)
                if i is None:
                    if running.count():
                        return  # the next pages wait for a running page whose runs they read
                    i = 0
                nb, spec = queue.pop(i)
                fut = client.submit(run_notebook, spec, pure=False,
                                    key=f"page-{nb.figure_id.replace('/', '-')}-{uuid.uuid4().hex[:8]}")
                by_key[fut.key] = nb
                futures.append(fut)
                running.add(fut)

        try:
            submit_ready()
            for fut in running:
                nb = by_key[fut.key]
                if fut.status == "finished":
                    res = fut.result()
                else:
                    res = _failure_of(nb, fut.exception(), time.perf_counter() - t0)
                unfinished.discard(nb.figure_id)
                report(nb, res)
                bar.update(1)
                submit_ready()
        finally:
            for fut in futures:
                fut.cancel()


def next_ready(pending: list[str], unfinished: set[str], reuses: dict[str, tuple[str, ...]] | None = None) -> int | None:
    """The index in ``pending`` (figure ids, in build order) of the first page none of whose
    producers (:data:`dlspectra.book.catalog.REUSES`) is still unfinished in this build, or None."""
    from dlspectra.book.catalog import REUSES

    reuses = REUSES if reuses is None else reuses
    for i, fid in enumerate(pending):
        if not any(dep in unfinished for dep in reuses.get(fid, ()) if dep != fid):
            return i
    return None


def client_slots(client) -> int:
    """Pages that ``client`` runs at once: its workers' threads (a local cluster of ``--jobs N`` has N)."""
    import inspect

    try:
        every = "n_workers" in inspect.signature(client.scheduler_info).parameters
        workers = (client.scheduler_info(n_workers=-1) if every else client.scheduler_info())["workers"].values()
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers))
    except Exception:  # noqa: BLE001 - an unusual scheduler: one page at a time is always safe
        return 1


def stop_client_kernels(client) -> None:
    """After a Ctrl-C: kill the kernels on ``client``'s workers (they are not the workers' children
    once those die), then close it."""
    try:
        client.run(stop_running_kernels, wait=True)
    except Exception:  # noqa: BLE001 - a worker already gone
        pass
    close_client(client)


def interrupt_handler(signum, frame):  # noqa: ARG001
    """First Ctrl-C: kill the running kernels and stop now (KeyboardInterrupt); further ones are ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop_running_kernels()
    raise KeyboardInterrupt


def in_process_threads() -> int:
    """Torch threads of a page run in this process (``--jobs 1``): ``$DLSPECTRA_THREADS``, else every core."""
    from dlspectra.cluster import available_cores

    env = os.environ.get("DLSPECTRA_THREADS")
    return max(1, int(env)) if env else available_cores()
