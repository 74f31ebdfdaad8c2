"""Execute one notebook page with papermill: the task a build runs in-process or on a Dask worker.

:func:`run_notebook` takes a plain, picklable spec (the page's source text travels with it, so a
worker needs no copy of the checkout), runs the page in a private temporary folder with its own
results folder, and returns the executed notebook (JSON text) and the claims it saved. It never
writes into the build: the client writes what comes back, atomically (see :mod:`dlspectra.book.runner`).

A page that fails raises :class:`NotebookFailed` carrying the same result (its executed notebook
shows the traceback), so a Dask task fails visibly while the client still gets the page. An
interrupt (Ctrl-C) kills the kernel at once and removes the temporary folder before it propagates.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from dlspectra.book.pagecache import FAILED, OK, TIMED_OUT


class NotebookFailed(Exception):
    """A page raised or timed out; ``result`` is :func:`run_notebook`'s result (status, error, page)."""

    def __init__(self, message: str, result: dict) -> None:
        super().__init__(message, result)
        self.message = message
        self.result = result

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:  # what Dask's logs print: the message, not the whole notebook
        return f"NotebookFailed({self.message!r})"


_RUNNING: list = []
"""The kernel managers of the pages running in this process (for :func:`stop_running_kernels`)."""


def kill_kernel(km: Any) -> None:
    """Kill ``km``'s kernel process group with SIGKILL, synchronously (no event loop: safe in a signal handler)."""
    import signal

    proc = getattr(getattr(km, "provisioner", None), "process", None)
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the kernel leads its own session (jupyter_client)
    except OSError:
        try:
            proc.kill()
        except OSError:
            pass
    try:
        proc.wait(timeout=5)
    except Exception:  # noqa: BLE001 - a zombie is reaped by the OS at our exit
        pass


def kernel_peak_rss_mb(km: Any) -> float | None:
    """The peak resident memory (MiB) of ``km``'s kernel process so far (Linux ``VmHWM``), or None
    where it cannot be read (another OS, the kernel already gone)."""
    proc = getattr(getattr(km, "provisioner", None), "process", None)
    if proc is None:
        return None
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        return None
    return None


def folder_bytes(folder: str | Path | None) -> int | None:
    """Bytes of the files under ``folder`` (None when it is not set; 0 when it does not exist)."""
    if not folder:
        return None
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
    return total


def stop_running_kernels() -> None:
    """Kill the kernels of the pages running in this process at once (the first Ctrl-C calls this)."""
    for km in list(_RUNNING):
        kill_kernel(km)


def prepare(source_text: str, banner: str | None = None) -> Any:
    """The page as an nbformat notebook: the ``parameters`` cell hidden (the reader sees papermill's
    values); ``banner`` (markdown, e.g. a smoke run's note) placed right after the title cell."""
    import jupytext
    import nbformat

    doc = jupytext.reads(source_text, fmt="py:percent")
    if banner:
        at = 1 if doc.cells and doc.cells[0].cell_type == "markdown" else 0
        doc.cells.insert(at, nbformat.v4.new_markdown_cell(banner))
    doc.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    doc.metadata.setdefault("language_info", {"name": "python"})
    for cell in doc.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    return doc


def source_cell(nb: Any, running: bool = False) -> str | None:
    """``code cell N`` of the first cell with an error output (``running``: of the cell that started
    and never replied), counted as the reader counts the page's code cells (papermill's injected cell and
    banners left out), with its first line; None if there is none."""
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        n += 1
        if running:  # started (input sent) but never replied to
            steps = cell.metadata.get("execution", {})
            hit = "iopub.execute_input" in steps and "shell.execute_reply" not in steps
        else:
            hit = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if hit:
            first = next((ln.strip() for ln in str(cell.source).splitlines() if ln.strip()), "")
            return f"code cell {n}" + (f" (`{first[:60]}`)" if first else "")
    return None


def _describe(exc: BaseException, out_path: Path, timeout: int | None) -> tuple[str, str]:
    """(status, one-line error) for an exception papermill raised."""
    import nbformat
    import papermill

    name = type(exc).__name__
    if isinstance(exc, papermill.PapermillExecutionError):
        where = "a code cell"
        try:
            where = source_cell(nbformat.read(str(out_path), as_version=4)) or where
        except Exception:  # noqa: BLE001 - the location is a courtesy
            pass
        if timeout and exc.ename in ("KeyboardInterrupt", "CellTimeoutError", "TimeoutError"):
            return TIMED_OUT, f"{where} ran longer than --timeout {timeout} s"
        return FAILED, f"{where}: {exc.ename}: {exc.evalue}"
    if "Timeout" in name or isinstance(exc, TimeoutError):
        where = "a code cell"
        try:
            nb = nbformat.read(str(out_path), as_version=4)  # the cell still running, or the one interrupted
            where = source_cell(nb, running=True) or source_cell(nb) or where
        except Exception:  # noqa: BLE001 - the location is a courtesy
            pass
        return TIMED_OUT, f"{where} ran longer than --timeout {timeout} s"
    return FAILED, f"{name}: {exc}"


def run_notebook(spec: dict) -> dict:
    """Execute one page; returns ``{figure_id, status, error, seconds, executed, claims}``.

    ``spec``: ``figure_id`` (``xie/fig01``), ``source_text`` (the Jupytext source), ``source_path``
    (its path; the kernel runs in its folder when that exists here, else in a temporary one),
    ``scale``, ``device``, ``timeout`` (seconds per cell or None), ``env`` (extra environment for the
    kernel). ``executed`` is the executed notebook as JSON text (None if the kernel never started),
    ``claims`` the dict the page saved (None if it saved none), ``peak_rss_mb`` the kernel's peak
    resident memory in MiB (None where it cannot be read), ``products`` the page's curvature products
    grouped by operator (:func:`dlspectra.budget.summarize_products`), ``cache_bytes`` what the page
    added to ``$DLSPECTRA_CACHE`` (trained models, checkpoints, spectra; pages running at once on one
    cache share the count). ``spec["banner"]``: markdown
    placed under the page's title (a smoke run's note). Raises :class:`NotebookFailed` with
    that result when the page fails or times out.
    """
    import papermill
    from jupyter_client.manager import AsyncKernelManager

    t0 = time.perf_counter()
    fid, scale = spec["figure_id"], spec["scale"]
    tmp = Path(tempfile.mkdtemp(prefix="dlspectra-page-"))
    results = tmp / "results"
    in_path, out_path = tmp / "in.ipynb", tmp / "out.ipynb"
    source_dir = Path(spec["source_path"]).parent
    cwd = source_dir if source_dir.is_dir() else tmp
    product_log = tmp / "products.jsonl"  # every curvature product of the page (dlspectra.budget)
    env_over = {**spec.get("env", {}), "DLSPECTRA_RESULTS": str(results), "DLSPECTRA_PROGRESS": "0",
                "DLSPECTRA_PRODUCT_LOG": str(product_log)}
    saved = {k: os.environ.get(k) for k in env_over}
    # what nbclient would make (async, so timeouts fire), talking over local IPC sockets in the page's
    # private folder: nothing listens on TCP, and the kernel prints no "running over TCP without
    # encryption" warning into the build's output
    km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(tmp / "kernel"))
    _RUNNING.append(km)
    status, error = OK, None
    cache_dir = env_over.get("DLSPECTRA_CACHE") or os.environ.get("DLSPECTRA_CACHE")
    cache_before = folder_bytes(cache_dir)
    try:
        import nbformat

        nbformat.write(prepare(spec["source_text"], spec.get("banner")), str(in_path))
        os.environ.update(env_over)  # the kernel inherits this process's environment at its start
        try:
            papermill.execute_notebook(str(in_path), str(out_path), parameters={"scale": scale, "device": spec["device"]},
                                       kernel_name="python3", cwd=str(cwd), progress_bar=False,
                                       execution_timeout=spec.get("timeout"), km=km)
        except Exception as exc:  # noqa: BLE001 - any failure of the page is reported, never crashes the build
            status, error = _describe(exc, out_path, spec.get("timeout"))
        executed = out_path.read_text() if out_path.exists() else None
        from dlspectra.budget import read_product_log, summarize_products

        products = summarize_products(read_product_log(product_log))
        paper, fig = fid.split("/", 1)
        claims_file = results / scale / paper / f"{fig}.json"
        claims = None
        if claims_file.exists():
            try:
                claims = json.loads(claims_file.read_text())
            except ValueError:
                status, error = FAILED, error or f"the page wrote an unreadable claims file {claims_file.name}"
    finally:
        _RUNNING.remove(km)
        peak = kernel_peak_rss_mb(km)
        kill_kernel(km)  # the page is done (or interrupted): no graceful shutdown through the event loop needed
        try:
            km.cleanup_connection_file()
        except Exception:  # noqa: BLE001
            pass
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(tmp, ignore_errors=True)
    cache_after = folder_bytes(cache_dir)
    result = {"figure_id": fid, "status": status, "error": error, "seconds": time.perf_counter() - t0,
              "executed": executed, "claims": claims if status == OK else None, "peak_rss_mb": peak,
              "products": products,
              "cache_bytes": None if cache_before is None or cache_after is None else max(0, cache_after - cache_before)}
    if status != OK:
        raise NotebookFailed(f"{fid}: {error}", result)
    return result


def run_notebook_safely(spec: dict) -> dict:
    """:func:`run_notebook` that returns the failed result instead of raising (the in-process path)."""
    try:
        return run_notebook(spec)
    except NotebookFailed as exc:
        return exc.result
