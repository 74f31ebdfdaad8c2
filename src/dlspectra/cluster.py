"""A Dask client for the work that spreads over processes or machines.

:func:`get_client` is the one entry point:

- ``address`` (or ``$DLSPECTRA_DASK_SCHEDULER``) set: connect to that running scheduler
  (``dask scheduler`` + ``dask worker ADDRESS``, or a cluster started by ``dask-jobqueue``);
- ``jobs > 1``: start a :class:`distributed.LocalCluster` of ``jobs`` worker *processes* with one
  Dask thread each;
- ``jobs == 1`` and no address: ``None``, meaning "run in this process" (today's behaviour).

Every worker gets a torch/BLAS thread budget of the cores of its machine divided by the workers
on that machine (``$DLSPECTRA_THREADS``, ``torch.set_num_threads``), so that N workers on N cores
do not oversubscribe them. A worker started with ``DLSPECTRA_THREADS`` in its environment keeps
that value. :func:`thread_env` is that budget as environment variables (also for a notebook
kernel), with OpenMP told to wait passively: an idle OpenMP thread sleeps instead of spinning on a
core that another job needs (``OMP_WAIT_POLICY=PASSIVE``, GNU ``GOMP_SPINCOUNT=0``, Intel
``KMP_BLOCKTIME=0``). :func:`machine_load` reads the load average against the cores, so a build
can say when it shares the machine.

Worker processes are spawned: code that calls :func:`get_client` with ``jobs > 1`` from a script
must sit under ``if __name__ == "__main__":``.

Close what :func:`get_client` returned with :func:`close_client` (it also stops a local cluster).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from dlspectra.errors import DlspectraError

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

SCHEDULER_ENV = "DLSPECTRA_DASK_SCHEDULER"
_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|inproc|ucx)://)?[\w.\-\[\]:]+(?::\d+)?$")


class ClusterError(DlspectraError, RuntimeError):
    """A Dask scheduler cannot be reached, or a cluster cannot be started."""


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def threads_for(workers_on_host: int, cores: int | None = None) -> int:
    """Torch threads per worker: ``cores // workers_on_host``, at least 1.

    ``cores`` defaults to :func:`available_cores` of the calling process's machine.
    """
    if workers_on_host < 1:
        raise ValueError(f"workers_on_host must be >= 1, got {workers_on_host}")
    cores = int(cores if cores is not None else available_cores())
    return max(1, cores // int(workers_on_host))


def thread_env(threads: int) -> dict[str, str]:
    """The environment of a process given ``threads`` kernel threads: torch (``DLSPECTRA_THREADS``),
    OpenMP, MKL and OpenBLAS capped at ``threads``, and OpenMP waiting passively (no spinning)."""
    n = str(max(1, int(threads)))
    return {"DLSPECTRA_THREADS": n, "OMP_NUM_THREADS": n, "MKL_NUM_THREADS": n, "OPENBLAS_NUM_THREADS": n,
            "OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "0", "KMP_BLOCKTIME": "0"}


def machine_load(cores: int | None = None) -> tuple[float, int] | None:
    """(1-minute load average, cores) of this machine, or None where the OS gives no load average."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return None
    return float(load), int(cores if cores is not None else available_cores())


def load_warning(jobs_threads: int, cores: int | None = None, *, threshold: float = 0.5) -> str | None:
    """A sentence when the machine is already busy: other work (the load average) holds more than
    ``threshold`` of the cores, so ``jobs_threads`` more kernel threads will share them; else None."""
    got = machine_load(cores)
    if got is None:
        return None
    load, cores = got
    if load <= threshold * cores:
        return None
    return (f"this machine is loaded: load average {load:.1f} on {cores} core(s) before the build starts; "
            f"its {jobs_threads} kernel thread(s) will share the cores, so pages run slower than alone "
            "(timings of this build are not comparable)")


def set_threads(threads: int | None = None) -> int:
    """Set this process's torch thread count (and ``$DLSPECTRA_THREADS``); return it.

    ``threads=None`` keeps ``$DLSPECTRA_THREADS`` when set, else changes nothing and returns
    torch's current count. Runs on workers through :meth:`distributed.Client.run`.
    """
    import torch

    if threads is None:
        env = os.environ.get("DLSPECTRA_THREADS")
        if not env:
            return torch.get_num_threads()
        threads = int(env)
    threads = max(1, int(threads))
    os.environ["DLSPECTRA_THREADS"] = str(threads)
    torch.set_num_threads(threads)
    return threads


def _worker_threads_report() -> tuple[int, str | None]:
    """(cores, preset DLSPECTRA_THREADS or None) of the worker this runs on."""
    return available_cores(), os.environ.get("DLSPECTRA_THREADS") or None


def configure_worker_threads(client: Client) -> dict[str, int]:
    """Give every worker now connected ``cores // workers on its host`` torch threads.

    A worker whose environment already sets ``DLSPECTRA_THREADS`` keeps it. Returns
    ``{worker address: threads}``. Workers that join later start with torch's default; call this
    again after scaling a cluster up.
    """
    info = client.scheduler_info(n_workers=-1)["workers"] if _accepts_n_workers(client) \
        else client.scheduler_info()["workers"]
    per_host: dict[str, list[str]] = {}
    for addr, w in info.items():
        per_host.setdefault(str(w.get("host", addr)), []).append(addr)
    reports = client.run(_worker_threads_report)
    out: dict[str, int] = {}
    for addrs in per_host.values():
        for addr in addrs:
            cores, preset = reports.get(addr, (1, None))
            out[addr] = int(preset) if preset else threads_for(len(addrs), cores)
    for addr, n in out.items():
        client.run(set_threads, n, workers=[addr])
    return out


def _accepts_n_workers(client: Client) -> bool:
    import inspect

    return "n_workers" in inspect.signature(client.scheduler_info).parameters


def get_client(jobs: int = 1, address: str | None = None, *, dashboard: bool = False,
               timeout: float = 10.0) -> Client | None:
    """A Dask client for ``jobs`` local worker processes or the scheduler at ``address``.

    Parameters
    ----------
    jobs: number of local worker processes (one Dask thread each) when no address is given;
        1 means no cluster (returns None: run in-process).
    address: a scheduler address (``tcp://host:8786``); defaults to ``$DLSPECTRA_DASK_SCHEDULER``.
        When set, ``jobs`` is ignored: the remote cluster has the workers it has.
    dashboard: serve the local cluster's dashboard on a free port (``client.dashboard_link``);
        off by default.
    timeout: seconds to wait for a remote scheduler before giving up.

    Raises
    ------
    ClusterError: the scheduler cannot be reached, or the address is malformed.
    ValueError: ``jobs < 1``.
    """
    if int(jobs) != jobs or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    address = address or os.environ.get(SCHEDULER_ENV) or None
    if address is None and jobs == 1:
        return None
    from distributed import Client, LocalCluster

    if address is not None:
        address = address.strip()
        if not _ADDRESS.match(address):
            raise ClusterError(f"malformed Dask scheduler address {address!r} (from the argument or "
                               f"${SCHEDULER_ENV}); expected e.g. tcp://host:8786")
        try:
            client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {address!r} within {timeout:g} s ({exc}). "
                f"Start one with `dask scheduler` and workers with `dask worker {address}`, or unset "
                f"${SCHEDULER_ENV} to run locally.") from exc
        configure_worker_threads(client)
        return client

    threads = threads_for(int(jobs))
    env = thread_env(threads)
    try:
        cluster = LocalCluster(n_workers=int(jobs), threads_per_worker=1, processes=True,
                               dashboard_address=":0" if dashboard else None, env=env)
    except Exception as exc:
        raise ClusterError(f"could not start a local Dask cluster of {jobs} worker processes: {exc}. "
                           "A script that starts one must do so under `if __name__ == '__main__':`."
                           ) from exc
    client = Client(cluster, set_as_default=False)
    client.run(set_threads, threads)
    return client


def close_client(client: Client | None) -> None:
    """Close ``client`` and, when :func:`get_client` started it, its local cluster. None is a no-op."""
    if client is None:
        return
    cluster: Any = getattr(client, "cluster", None)
    client.close()
    if cluster is not None and not isinstance(cluster, str):
        try:
            cluster.close()
        except Exception:
            pass


def dashboard_link(client: Client | None) -> str | None:
    """The dashboard URL of ``client``'s cluster, or None when it has none."""
    if client is None:
        return None
    try:
        link = client.dashboard_link
    except Exception:
        return None
    return link or None


def worker_device(device: str) -> str:
    """The device one worker should use when asked for ``device``.

    ``"cuda"`` on a machine with several GPUs picks ``cuda:<i>`` by the worker's position among
    the workers on its machine (round robin); anything else is returned unchanged. Outside a Dask
    worker it is ``device`` unchanged.
    """
    if device != "cuda":
        return device
    import torch

    n = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if n <= 1:
        return device
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return device
    port = int(str(worker.address).rsplit(":", 1)[-1]) if ":" in str(worker.address) else 0
    name = worker.name if isinstance(worker.name, int) else port
    return f"cuda:{int(name) % n}"
