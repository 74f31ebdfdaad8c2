"""The library chapter is a part of the book: its page is discovered like every page (so the build
executes it), has its sizes, and the part lists the overview, the page and the API reference."""

from pathlib import Path

from dlspectra.book import catalog
from dlspectra.book.scales import preset

ROOT = Path(__file__).resolve().parents[1]


def test_library_page_is_discovered_with_presets_and_in_the_toc():
    nbs = catalog.discover(ROOT)
    assert "library/quickstart" in nbs
    nb = nbs["library/quickstart"]
    assert nb.source == ROOT / "notebooks" / "library" / "quickstart_own_model.py"
    assert nb.title == "The library on a model of your own"
    for scale in ("ci", "paper"):
        assert preset(scale, "library/quickstart")["n"] > 0
    toc = catalog.render_toc(nbs)
    part = toc.split("caption: Using the library on your own model", 1)[1].split("caption:", 1)[0]
    assert "book/library" in part and "notebooks/library/quickstart_own_model" in part and "book/api" in part
    for doc in ("book/library.md", "book/api.md"):
        assert (ROOT / doc).is_file()
