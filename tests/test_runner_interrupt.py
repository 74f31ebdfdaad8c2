"""Ctrl-C stops the running page at once, leaves no temporary files, prints one line, exits 130 (issue 14 item 5)."""

import os
import signal
import subprocess
import sys
import time

from runner_fixtures import copy_book


def test_first_interrupt_stops_the_kernel_at_once(tmp_path):
    root = copy_book(tmp_path / "book")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TINY_SLEEP="120", TMPDIR=str(tmp), DLSPECTRA_RESULTS=str(tmp_path / "results"))
    env.pop("DLSPECTRA_BOOK_ROOT", None)
    proc = subprocess.Popen([sys.executable, "-m", "dlspectra.book.cli", "book", "--no-html", "--skip-data-check"],
                            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:  # wait until the first page runs, and its kernel is well into the sleep
        if "start xie/fig01" in line:
            break
    deadline = time.time() + 60
    while not any(tmp.glob("dlspectra-page-*/out.ipynb")) and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(3)
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)  # a second one while cleaning up changes nothing
    out, err = proc.communicate(timeout=60)
    took = time.perf_counter() - t0
    assert proc.returncode == 130, err
    assert took < 15, f"the interrupt took {took:.1f} s to stop the build"
    lines = [ln for ln in err.splitlines() if ln.strip() and "IPKernelApp" not in ln and "page/s" not in ln]
    assert len(lines) == 1 and "interrupted" in lines[0], err
    assert "Traceback" not in err
    assert list(tmp.glob("dlspectra-page-*")) == [], "temporary notebooks left behind"
    assert not (tmp_path / "results" / "ci" / "xie" / "fig01.json").exists()
