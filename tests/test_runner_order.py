"""Pages that read another page's runs start after it when pages run side by side (runner.next_ready)."""

from dlspectra.book.catalog import REUSES, discover, project_root
from dlspectra.book.runner import next_ready
from dlspectra.book.scales import FIGURE_IDS

DEPS = {"b": ("a",), "c": ("a", "b")}


def test_the_first_page_whose_producers_are_done_is_next():
    assert next_ready(["a", "b", "c"], {"a", "b", "c"}, DEPS) == 0
    assert next_ready(["b", "c"], {"a", "b", "c"}, DEPS) is None      # a still runs: b and c wait
    assert next_ready(["b", "c", "d"], {"a", "b", "c", "d"}, DEPS) == 2  # an independent page goes first
    assert next_ready(["b", "c"], {"b", "c"}, DEPS) == 0               # a finished (or not in this build)
    assert next_ready(["c"], {"c"}, DEPS) == 0
    assert next_ready([], set(), DEPS) is None


def test_a_page_never_waits_for_itself():
    assert next_ready(["a"], {"a"}, {"a": ("a",)}) == 0


def test_reuses_names_real_pages_and_has_no_cycle():
    known = set(FIGURE_IDS)
    pages = set(discover(project_root()))
    for fid, deps in REUSES.items():
        assert fid in known and fid in pages, fid
        assert deps and all(d in known and d in pages and d != fid for d in deps), (fid, deps)
    order = list(discover(project_root()))
    for fid, deps in REUSES.items():  # producers come earlier in the build order: a serial build needs no waiting
        assert all(order.index(d) < order.index(fid) for d in deps), (fid, deps)
