"""Markdown the pages display: one pipe-table writer (MyST/GitHub tables) shared by the claim,
check and ladder tables and by the pages' own comparison tables."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["markdown_table"]


def markdown_table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub/MyST pipe table of ``head`` (column titles) and ``rows`` (one list of cells each).

    A ``|`` in the header or a cell is escaped (``max |Δ|`` stays one column) and newlines are
    flattened to spaces, so a table always has ``len(head)`` columns.
    """
    def cell(v: object) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)
