#!/usr/bin/env bash
# bench/device.sh: the benchmarks and one paper-scale page on a CUDA device, within 8 minutes.
#
#   bash bench/device.sh            # from the checkout, with .venv built (make env) and DLSPECTRA_DATA set
#   PAGE=xie/fig02 bash bench/device.sh
#
# Prints the card (nvidia-smi and torch's view), then, each under its own time limit so that the
# whole stays under 8 minutes (7 min 20 s of limits plus the card):
#   1. bench_hvp.py --quick --device cuda        HVP / gradient ratios, LeNet-5 and ResNet18      (80 s)
#   2. bench_lanczos.py --quick --device cuda --model-only   Lanczos vs eigsh, products and times (50 s)
#   3. bench_restart.py --quick --device cuda --cases mlp    memory-bounded top-K, peak CUDA memory (80 s)
#   4. bench_anm.py --quick --device cuda        batched ANM eigenproblems against ProDy            (50 s)
#   5. dlspectra book --scale paper --only $PAGE --device cuda --no-html  one page at paper scale   (180 s)
#      (default xie/fig02: LeNet-5 on full MNIST, top-1000 Lanczos of the full-data Hessian)
# and a summary line per step: its exit status and seconds. A step that runs past its limit is
# stopped and reported ("timed out"); the next one still runs. Exits 2 at once, saying so, on a
# machine without CUDA (nothing is run there). The page runs with its own cache and results under
# $OUT (default a temporary folder; logs there too); its executed page and run record (peak memory,
# products) go to _build/pages/paper/ as any build's, and are printed.
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DL=${DL:-.venv/bin/dlspectra}
PAGE=${PAGE:-xie/fig02}
OUT=${OUT:-$(mktemp -d -t dlspectra-device-XXXXXX)}
mkdir -p "$OUT"

if [ ! -x "$PY" ]; then
  echo "device.sh: no $PY (run 'make env' first, or set PY=...)" >&2; exit 2
fi
if ! "$PY" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  echo "device.sh: no CUDA device on this machine (torch.cuda.is_available() is False): nothing run." >&2
  echo "device.sh: run it on a machine with an NVIDIA GPU; the CPU benchmarks are 'make bench'." >&2
  exit 2
fi

echo "== card"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv
"$PY" - <<'EOF'
import torch
p = torch.cuda.get_device_properties(0)
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {p.name}, {p.total_memory / 2**30:.1f} GiB, "
      f"{p.multi_processor_count} SMs, capability {p.major}.{p.minor}, cuDNN {torch.backends.cudnn.version()}")
EOF

SUMMARY=()
step() {  # step NAME LIMIT_S COMMAND...
  local name=$1 limit=$2; shift 2
  echo; echo "== $name (limit ${limit} s): $*"
  local t0=$SECONDS
  timeout --signal=INT --kill-after=10 "$limit" "$@" 2>&1 | tee "$OUT/${name}.log"
  local rc=${PIPESTATUS[0]} dt=$((SECONDS - t0)) what
  case $rc in 0) what=ok;; 124|137) what="timed out";; *) what="failed (exit $rc)";; esac
  SUMMARY+=("$(printf '%-10s %-18s %4d s' "$name" "$what" "$dt")")
}

export DLSPECTRA_PROGRESS=0
step hvp 80 "$PY" bench/bench_hvp.py --quick --device cuda
step lanczos 50 "$PY" bench/bench_lanczos.py --quick --device cuda --model-only
step restart 80 "$PY" bench/bench_restart.py --quick --device cuda --cases mlp
step anm 50 "$PY" bench/bench_anm.py --quick --device cuda
DLSPECTRA_CACHE="$OUT/cache" DLSPECTRA_RESULTS="$OUT/results" \
  step page 180 "$DL" book --scale paper --only "$PAGE" --device cuda --no-html --force
for rec in _build/pages/paper/*/*.run.json; do
  [ -f "$rec" ] || continue
  grep -q "\"notebook\": \"$PAGE\"" "$rec" && { echo "== run record of $PAGE"; cat "$rec"; }
done

echo; echo "== summary (card above; ratios and timings in each step's output, logs in $OUT)"
printf '%s\n' "${SUMMARY[@]}"
echo "total ${SECONDS} s"
