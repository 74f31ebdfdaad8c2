"""Benchmark: a protein set on a 2-worker Dask LocalCluster against one process (one run, same chains).

    python bench/bench_cluster.py                  # 300 qualifying pdownb chains (seed 0), as bench_anm --sets
    python bench/bench_cluster.py --n 100 --workers 2 --repeats 1

Times :func:`dlspectra.proteins.process_chains` without a cache on the same seeded subset three ways,
interleaved per repeat: one process (``jobs=1``), the local process pool (``jobs=workers``), and a
Dask client of ``workers`` worker processes (:func:`dlspectra.cluster.get_client`; its start-up is
timed separately and not counted). Each worker gets cores // workers torch threads, the single
process gets 1 thread (``--threads``) so the comparison is per-core. Checks that the three results
are equal chain for chain. Prints seconds and the speed-up of each against one process; never a
timed test. On a shared machine compare only the numbers of one run.
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="chains (seeded subset of pdownb's qualifying chains)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2, help="Dask worker processes and process-pool size")
    ap.add_argument("--chunk-size", type=int, default=48)
    ap.add_argument("--repeats", type=int, default=1, help="interleaved repeats (medians are printed)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads of the single process")
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, str(a.threads))

    import statistics
    import time

    import numpy as np
    import torch

    from dlspectra import proteins
    from dlspectra.cluster import close_client, get_client, threads_for

    torch.set_num_threads(a.threads)
    chains = proteins.load_ca_archive("pdownb", n=a.n, seed=a.seed)
    sizes = np.array([c.n_residues for c in chains])
    print(f"{len(chains)} chains, residues median {int(np.median(sizes))}, max {sizes.max()}; "
          f"{os.cpu_count()} cores; worker threads {threads_for(a.workers)}; device {a.device}")
    t0 = time.perf_counter()
    client = get_client(a.workers)
    print(f"cluster start-up ({a.workers} workers): {time.perf_counter() - t0:.1f} s (not counted)")
    client.run(lambda: __import__("dlspectra.proteins") and None)  # imports on the workers, not counted
    kw = dict(cache=False, progress=False, device=a.device, chunk_size=a.chunk_size)
    runs = {"one process": lambda: proteins.process_chains(chains, jobs=1, **kw),
            f"process pool, jobs={a.workers}": lambda: proteins.process_chains(chains, jobs=a.workers, **kw),
            f"dask, {a.workers} workers": lambda: proteins.process_chains(chains, client=client, **kw)}
    times: dict[str, list[float]] = {k: [] for k in runs}
    results = {}
    try:
        for _ in range(a.repeats):
            for name, fn in runs.items():
                t0 = time.perf_counter()
                results[name] = fn()
                times[name].append(time.perf_counter() - t0)
                print(f"  {name}: {times[name][-1]:.1f} s", flush=True)
    finally:
        close_client(client)
    ref = results["one process"]
    for name, res in results.items():
        same = res.rows == ref.rows and all(np.array_equal(res.spectra[k], v) for k, v in ref.spectra.items())
        close = all(np.allclose(res.spectra[k], v, rtol=0, atol=1e-9) for k, v in ref.spectra.items())
        print(f"{name:>24}: median {statistics.median(times[name]):7.1f} s, speed-up "
              f"{statistics.median(times['one process']) / statistics.median(times[name]):.2f}x, "
              f"equal to one process: {'bit for bit' if same else ('to 1e-9' if close else 'NO')}")
    print(f"status counts {ref.counts()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
