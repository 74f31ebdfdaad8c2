"""The PDB fetcher against a local HTTP server on 127.0.0.1: structures, a 404, truncated files, a rerun.

The server binds the loopback address only, serves from a dict, and shuts itself down after a
bounded time even if a test fails to stop it. No test here touches any other address.
"""

from __future__ import annotations

import http.server
import threading
from collections import Counter
from contextlib import contextmanager

import numpy as np
import pytest

from dlspectra import proteins
from dlspectra.proteins.fetch import FETCH_STATUSES, pdb_base_url


def _pdb_text(chains: dict[str, int], *, end: bool = True) -> bytes:
    """A PDB-format file: for each chain id, that many residues (N, CA, C atoms) on a helix."""
    lines, serial = ["HEADER    SYNTHETIC TEST ENTRY"], 1
    for chain, n in chains.items():
        t = np.arange(n) * np.deg2rad(100.0)
        xyz = np.stack([2.3 * np.cos(t), 2.3 * np.sin(t), 1.5 * np.arange(n)], axis=1)
        for i in range(n):
            for atom, dx in (("N", -0.5), ("CA", 0.0), ("C", 0.5)):
                x, y, z = xyz[i] + dx
                lines.append(f"ATOM  {serial:5d}  {atom:<3s} ALA {chain}{i + 1:4d}    {x:8.3f}{y:8.3f}{z:8.3f}"
                             f"  1.00 10.00           {atom[0]}")
                serial += 1
        lines.append(f"TER   {serial:5d}      ALA {chain}{n:4d}")
    if end:
        lines.append("END")
    return ("\n".join(lines) + "\n").encode()


@contextmanager
def pdb_server(files: dict[str, bytes], cut: dict[str, int], lifetime: float = 60.0):
    """Serve ``/download/<ID>.pdb`` from ``files`` on 127.0.0.1 (a free port); yield (base URL, request counter).

    ``cut``: paths whose body is sent only up to that many bytes, with the full Content-Length
    (a truncated transfer). Unknown paths get 404. Stops on exit, or by itself after ``lifetime`` s.
    """
    hits: Counter = Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            name = self.path.rsplit("/", 1)[-1]
            hits[name] += 1
            body = files.get(name)
            if body is None or not self.path.startswith("/download/"):
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Type", "chemical/x-pdb")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:cut[name]] if name in cut else body)
            if name in cut:
                self.close_connection = True

        def log_message(self, *args):  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    assert server.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    watchdog = threading.Timer(lifetime, server.shutdown)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/download", hits
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """urllib must talk to 127.0.0.1 directly, never through a proxy from the environment."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv("DLSPECTRA_PDB_URL", raising=False)


LIST = """IDs         length Exptl.  resolution  R-factor FreeRvalue
1AAAA      120  XRAY        1.50    0.18    0.22
1BBBA      110  XRAY        1.80    0.19    0.23
1BBBB      130  XRAY        1.80    0.19    0.23
1CCCA      140  XRAY        1.60    0.20    0.24
1DDDA      150  XRAY        1.70    0.20    0.24
1EEEA      105  XRAY        1.90    0.21    0.25
1FFFA      125  XRAY        1.40    0.17    0.21
2NMRA      125  NMR         0.00    0.00    0.00
"""


def _files() -> dict[str, bytes]:
    return {"1AAA.pdb": _pdb_text({"A": 120}), "1BBB.pdb": _pdb_text({"A": 110, "B": 130}),
            # 1CCC absent: 404
            "1DDD.pdb": _pdb_text({"A": 150}),  # cut in transfer (below)
            "1EEE.pdb": _pdb_text({"A": 105}, end=False),  # whole transfer, but the file stops without END
            "1FFF.pdb": _pdb_text({"B": 125})}  # the listed chain A has no atoms


def test_fetch_from_local_server_counts_every_outcome_and_resumes(tmp_path):
    lst = tmp_path / "list.txt"
    lst.write_text(LIST)
    files, out = _files(), tmp_path / "out"
    with pdb_server(files, cut={"1DDD.pdb": 3000}) as (base, hits):
        res = proteins.fetch_pisces_chains(lst, out, progress=False, base_url=base)
        first_hits = dict(hits)
    by = {r["key"]: r for r in res.rows}
    assert [r["key"] for r in res.rows] == ["1AAA_A", "1BBB_A", "1BBB_B", "1CCC_A", "1DDD_A", "1EEE_A", "1FFF_A"]
    assert {k: r["status"] for k, r in by.items()} == {
        "1AAA_A": "ok", "1BBB_A": "ok", "1BBB_B": "ok", "1CCC_A": "no_pdb_format", "1DDD_A": "truncated",
        "1EEE_A": "truncated", "1FFF_A": "no_calpha"}
    assert "HTTP 404" in by["1CCC_A"]["reason"]
    assert "received 3000 bytes" in by["1DDD_A"]["reason"]
    assert "END record" in by["1EEE_A"]["reason"]
    assert "chain 'A'" in by["1FFF_A"]["reason"]
    assert res.counts == {"ok": 3, "no_pdb_format": 1, "http_error": 0, "truncated": 2, "no_calpha": 1, "total": 7}
    assert set(res.counts) == set(FETCH_STATUSES) | {"total"}
    assert first_hits == {"1AAA.pdb": 1, "1BBB.pdb": 1, "1CCC.pdb": 1, "1DDD.pdb": 1, "1EEE.pdb": 1, "1FFF.pdb": 1}
    # nothing half-written: only whole files in raw/, no temporary files anywhere
    assert sorted(p.name for p in (out / "raw").iterdir()) == ["1aaa.pdb", "1bbb.pdb", "1fff.pdb"]
    assert sorted(p.name for p in out.iterdir()) == ["pisces_ca.npz", "pisces_ca_index.csv", "raw"]
    chains = proteins.load_ca_files(*res)
    assert {c.id: c.n_residues for c in chains} == {"1AAA_A": 120, "1BBB_A": 110, "1BBB_B": 130}
    assert chains[0].meta["status"] == "ok"

    # the rerun asks only for what is missing; the server now sends 1DDD whole and 1EEE with its END
    files["1DDD.pdb"], files["1EEE.pdb"] = _pdb_text({"A": 150}), _pdb_text({"A": 105})
    with pdb_server(files, cut={}) as (base, hits):
        again = proteins.fetch_pisces_chains(lst, out, progress=False, base_url=base)
        assert dict(hits) == {"1CCC.pdb": 1, "1DDD.pdb": 1, "1EEE.pdb": 1}
    assert sorted(again.downloaded) == ["1CCC", "1DDD", "1EEE"]
    assert again.counts["ok"] == 5 and again.counts["no_pdb_format"] == 1 and again.counts["no_calpha"] == 1
    assert {c.id for c in proteins.load_ca_files(*again)} == {"1AAA_A", "1BBB_A", "1BBB_B", "1DDD_A", "1EEE_A"}


def test_base_url_from_environment_and_unreachable_server(tmp_path, monkeypatch):
    import socket

    lst = tmp_path / "list.txt"
    lst.write_text(LIST)
    with pdb_server(_files(), cut={}) as (base, hits):
        monkeypatch.setenv("DLSPECTRA_PDB_URL", base + "/")
        assert pdb_base_url() == base
        res = proteins.fetch_pisces_chains(lst, tmp_path / "out", progress=False, limit=1)
        assert res.counts["ok"] == 1 and hits["1AAA.pdb"] == 1
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(proteins.FetchError, match=f"cannot reach the PDB \\(http://127.0.0.1:{port}"):
        proteins.fetch_pisces_chains(lst, tmp_path / "out2", progress=False, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ValueError, match="must start with http"):
        pdb_base_url("ftp://example.invalid")
