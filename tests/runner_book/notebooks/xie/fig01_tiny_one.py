# %% [markdown]
# # Tiny page one
#
# A page of the runner's tests: two claims, a sleep when `TINY_SLEEP` is set, a failure when
# `TINY_FAIL` names this page.

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %%
import os
import time

from dlspectra.book.results import ClaimRecorder

rec = ClaimRecorder("xie/fig01", scale, title="Tiny page one")
rec.check("a", "one is less than two", rule="1 < 2", holds=1 < 2, measured=1.0, paper=1.0)
rec.check("b", "two is less than one", rule="2 < 1", holds=2 < 1, measured=2.0, paper=1.0)
time.sleep(float(os.environ.get("TINY_SLEEP", "0")))

# %%
if os.environ.get("TINY_FAIL") == "xie/fig01":
    raise ValueError("broken on purpose")
saved = rec.save()
