"""What a build prints: one line per page as it ends (its time, status and verdict counts), and the
verdicts per paper at the end (also printed by ``dlspectra scorecard``)."""

from __future__ import annotations

from collections.abc import Iterable

from dlspectra.book.results import PAPERS, VERDICTS

SHORT = {"reproduced": "reproduced", "not reproduced": "not reproduced", "inconclusive": "inconclusive",
         "not run: data missing": "not run (data)", "not run: scale": "not run (scale)"}
"""The verdicts as the terminal shows them."""


def count(verdicts: Iterable[str]) -> dict[str, int]:
    """``{verdict: n}`` over :data:`~dlspectra.book.results.VERDICTS` (every verdict present, zeros included)."""
    out = {v: 0 for v in VERDICTS}
    for v in verdicts:
        if v in out:
            out[v] += 1
    return out


def counts_phrase(verdicts: Iterable[str]) -> str:
    """``"3 reproduced, 1 not reproduced"`` (zero counts left out; ``"no claims"`` when there are none)."""
    c = count(verdicts)
    parts = [f"{n} {SHORT[v]}" for v, n in c.items() if n]
    return ", ".join(parts) if parts else "no claims"


def done_line(figure_id: str, seconds: float, status: str, error: str | None, verdicts: list[str],
              peak_mb: float | None = None) -> str:
    """The line printed when one page ends: ``  done  xie/fig01   12.3 s  ok: 2 reproduced, 1 inconclusive``."""
    mem = "" if not peak_mb else f"  peak {peak_mb / 1024:.1f} GB" if peak_mb >= 1024 else f"  peak {peak_mb:.0f} MB"
    if error:
        return f"  done  {figure_id:14s} {seconds:7.1f} s  {status.upper()}: {error}"
    return f"  done  {figure_id:14s} {seconds:7.1f} s  ok: {counts_phrase(verdicts)}{mem}"


def verdict_table(by_page: dict[str, list[str]], failed: Iterable[str] = ()) -> str:
    """A plain-text table of the verdicts per paper and in all: ``by_page`` maps figure id to its verdicts."""
    failed = set(failed)
    head = ["paper", "pages", *[SHORT[v] for v in VERDICTS], "failed"]
    rows = []
    tot = count([])
    pages = nfail = 0
    for paper in PAPERS:
        ids = [fid for fid in by_page if fid.startswith(paper + "/")]
        bad = [fid for fid in failed if fid.startswith(paper + "/")]
        if not ids and not bad:
            continue
        c = count(v for fid in ids for v in by_page[fid])
        rows.append([paper, str(len(ids)), *[str(c[v]) for v in VERDICTS], str(len(bad))])
        tot = {v: tot[v] + c[v] for v in VERDICTS}
        pages += len(ids)
        nfail += len(bad)
    rows.append(["all", str(pages), *[str(tot[v]) for v in VERDICTS], str(nfail)])
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join(fmt(r) for r in [head, *rows])
