"""The built pages are checked for Python warnings, tracebacks and local file paths (issue 13 item 5)."""

from dlspectra.book.htmlcheck import check_book, check_text, output_text

CLEAN = """<html><body><div class="cell docutils container">
<div class="cell_input docutils container"><pre>import warnings  # code may name them; /home/x in code is fine</pre></div>
<div class="cell_output docutils container"><div class="output text_plain"><pre>d_ks = 0.041, accepted</pre></div></div>
</div><p>Traceback (most recent call last) in the prose is the author's business</p></body></html>"""

WARNED = CLEAN.replace("d_ks = 0.041, accepted",
                       "/home/ci/work/main/src/dlspectra/fits.py:88: RuntimeWarning: divide by zero<br/>d_ks = nan")
TRACED = CLEAN.replace("d_ks = 0.041, accepted", "Traceback (most recent call last):\n  File \"x.py\", line 3")


def test_only_output_areas_are_read():
    assert output_text(CLEAN).strip() == "d_ks = 0.041, accepted"
    assert check_text(output_text(CLEAN)) == []
    # a page's own convergence note in an admonition is not a Python warning
    assert check_text("Warning\nLanczos did not converge for 2 of 51 spectra; see the note.") == []


def test_warnings_tracebacks_and_paths_are_found():
    found = check_text(output_text(WARNED))
    assert any(f.startswith("Python warning") and "RuntimeWarning" in f for f in found)
    assert any(f.startswith("local file path") and "/home/ci/work" in f for f in found)
    assert any(f.startswith("traceback") for f in check_text(output_text(TRACED)))
    assert check_text("saved to /srv/build/x.json", local_paths=("/srv/build",))  # the checkout's own path


def test_check_book_names_the_pages(tmp_path):
    (tmp_path / "notebooks" / "xie").mkdir(parents=True)
    (tmp_path / "notebooks" / "xie" / "fig01_a.html").write_text(CLEAN)
    (tmp_path / "notebooks" / "xie" / "fig02_b.html").write_text(WARNED)
    found = check_book(tmp_path, ["notebooks/xie/fig01_a", "notebooks/xie/fig02_b", "notebooks/xie/gone"])
    assert list(found) == ["notebooks/xie/fig02_b"]
