"""The README's "Use the library on your own model" lines run as they stand, on their own model."""

import re
import warnings
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _snippet() -> str:
    text = README.read_text()
    section = text.split("## Use the library on your own model", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_library_lines_run(capsys):
    code = _snippet()
    assert len([ln for ln in code.splitlines() if ln.strip() and not ln.startswith(("import", "from"))]) <= 20
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a newcomer sees no warning
        namespace: dict = {}
        exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["top_H"].converged and namespace["top_H"].eigenvalues.shape == (20,)
    assert namespace["E"].shape[0] == 4
    assert "RTildeEstimate" in capsys.readouterr().out
