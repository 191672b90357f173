#!/usr/bin/env bash
# One command for issue 11's first target: `SkateBot predict` against the Python peer (bench/peer/classify.py: PIL draft
# mode + torchvision ResNet18, batches of 16; with the three-view model also the peer doing the same three views) over 1
# and N twelve-megapixel JPEGs. Prints the marginal cost per photo,
# (t_N − t_1)/(N − 1), of each from the medians over REPEATS runs, the ratio, and peak RSS (GNU time).
#
#   bench/compare-predict.sh                   # N=64, REPEATS=3, SkateBot models with crop and multi preprocessing
#   N=16 REPEATS=5 MODES=crop bench/compare-predict.sh
#   OMP_NUM_THREADS=1 bench/compare-predict.sh  # both engines single-threaded (fairer on a box where others use the cores)
#   MODEL=path/v1.skmodel SOURCES=../shared/photos/holdout bench/compare-predict.sh
#       # a real (three-view) model on real photos scaled up to 12 MP: its first-view rule then forwards what it would on
#       # such photos (on the gradients a stand-in's confidence means nothing); labelled skatebot-multi, also against peer-multi
#
# Needs: the .NET SDK; Debian's python3-torch python3-torchvision python3-pil (apt-get install …); /usr/bin/time.
# Photos (deterministic, ~2.4 MB each) and a throwaway data directory go to a temp folder that is removed at the end.
# The SkateBot models are trained in that data directory on 12 images per class of data/sample, one frozen epoch: they
# are timing stand-ins like the peer's random weights. Runs are interleaved (SkateBot, peer, …) so load drifts hit both.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-64}
REPEATS=${REPEATS:-3}
MODES=${MODES:-crop multi}
PY=${PYTHON:-/usr/bin/python3}
MODEL_PATH=${MODEL:-}
unset MODEL # the name is the per-mode table below
[ -n "$MODEL_PATH" ] && MODES=multi
TIME=/usr/bin/time

"$PY" -c 'import torch, torchvision, PIL, numpy' 2>/dev/null || {
  echo "The peer needs Debian's packages: sudo apt-get install -y python3-torch python3-torchvision python3-pil" >&2; exit 2; }
[ -x "$TIME" ] || { echo "GNU time is missing: sudo apt-get install -y time" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/skatebot-compare.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== load average $(load) on $(nproc --all) cores; N=$N, REPEATS=$REPEATS, modes: $MODES"
echo "== generating $N photos (4000x3000, quality 90) in $WORK/photos"
"$PY" "$ROOT/bench/peer/make_photos.py" "$WORK/photos" "$N" ${SOURCES:+"$SOURCES"}
mapfile -t PHOTOS < <(ls "$WORK"/photos/*.jpg)
echo "   $(du -sh "$WORK/photos" | cut -f1) in all, first file $(stat -c %s "${PHOTOS[0]}") bytes"

echo "== building SkateBot (Release)"
dotnet build -c Release "$ROOT/src/SkateBot/SkateBot.csproj" -nologo -v q -o "$WORK/bin" >"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log"; exit 1; }
SKATEBOT=("dotnet" "$WORK/bin/SkateBot.dll")
export SKATEBOT_Storage__DataDirectory="$WORK/data"
# predict gives ONNX Runtime every core (Model:InferenceThreads 0); with OMP_NUM_THREADS set the peer's torch gets that
# many, so SkateBot gets the same.
[ -n "${OMP_NUM_THREADS:-}" ] && export SKATEBOT_Model__InferenceThreads="$OMP_NUM_THREADS"

mkdir -p "$WORK/tiny"
for class in "$ROOT"/data/sample/aggressive_skates/ "$ROOT"/data/sample/inline_skates/; do # the two skate classes, as before data/sample had other/
  name=$(basename "$class"); mkdir -p "$WORK/tiny/$name"
  ls "$class" | head -12 | while read -r f; do ln -s "$class$f" "$WORK/tiny/$name/$f"; done
done
declare -A MODEL
if [ -n "$MODEL_PATH" ]; then
  [ -f "$MODEL_PATH" ] || { echo "no checkpoint at $MODEL_PATH" >&2; exit 2; }
  MODEL[multi]=$(realpath "$MODEL_PATH")
  echo "== serving $MODEL_PATH (labelled skatebot-multi)"
fi
for mode in $MODES; do
  [ -n "${MODEL[$mode]:-}" ] && continue
  echo "== training a stand-in model (preprocessing $mode, 1 frozen epoch on 24 images)"
  "${SKATEBOT[@]}" train "$WORK/tiny" --frozen-epochs 1 --epochs 0 --composites 0 --cached-views 1 \
    --preprocessing "$mode" --no-promote --json >"$WORK/train-$mode.json" 2>"$WORK/train-$mode.log" \
    || { tail -20 "$WORK/train-$mode.log"; exit 1; }
  MODEL[$mode]=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["checkpoint"])' "$WORK/train-$mode.json")
done

# run LABEL COUNT CMD…: one timed run; appends "label count seconds max_rss_kb load1" to results.tsv.
run() {
  local label=$1 count=$2; shift 2
  local start end
  start=$(date +%s%N)
  "$TIME" -f '%M' -o "$WORK/rss" "$@" >"$WORK/out.log" 2>"$WORK/err.log" || { echo "failed: $*" >&2; tail -5 "$WORK/err.log" >&2; exit 1; }
  end=$(date +%s%N)
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$count" "$(( (end - start) / 1000000 ))" "$(tail -1 "$WORK/rss")" "$(load | cut -d' ' -f1)" >>"$WORK/results.tsv"
  # Each tool's own account of where the time went (last run of each kind wins).
  grep -E '^(timings|peer):' "$WORK/err.log" | tail -1 | sed "s/^/$label x$count: /" >"$WORK/breakdown-$label-$count" || true
}

echo "== timing (each repeat: SkateBot then the peer, 1 file then $N)"
for r in $(seq 1 "$REPEATS"); do
  for mode in $MODES; do
    run "skatebot-$mode" 1 "${SKATEBOT[@]}" predict --timings --model "${MODEL[$mode]}" "${PHOTOS[0]}"
    run "skatebot-$mode" "$N" "${SKATEBOT[@]}" predict --timings --model "${MODEL[$mode]}" "${PHOTOS[@]}"
  done
  run peer 1 "$PY" "$ROOT/bench/peer/classify.py" "${PHOTOS[0]}"
  run peer "$N" "$PY" "$ROOT/bench/peer/classify.py" "${PHOTOS[@]}"
  if [[ " $MODES " == *" multi "* ]]; then
    run peer-multi 1 "$PY" "$ROOT/bench/peer/classify.py" --views 3 "${PHOTOS[0]}"
    run peer-multi "$N" "$PY" "$ROOT/bench/peer/classify.py" --views 3 "${PHOTOS[@]}"
  fi
  echo "   repeat $r done (load $(load))"
done

echo; echo "== where the time went (each tool's own clock, last run of $N files; wall time adds process start and imports)"
cat "$WORK"/breakdown-*-"$N"

"$PY" - "$WORK/results.tsv" "$N" <<'PYEOF'
import statistics, sys
from collections import defaultdict
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
n = int(sys.argv[2])
ms, rss, loads = defaultdict(list), defaultdict(list), []
for label, count, t, kb, l1 in rows:
    ms[label, int(count)].append(int(t)); rss[label, int(count)].append(int(kb)); loads.append(float(l1))
labels = sorted({k[0] for k in ms}, key=lambda s: (s.startswith("peer"), s))
print()
print(f"| run | 1 file (median ms) | {n} files (median ms) | marginal ms/photo | peak RSS at {n} | runs |")
print("|---|---|---|---|---|---|")
marginal = {}
for label in labels:
    one, many = statistics.median(ms[label, 1]), statistics.median(ms[label, n])
    marginal[label] = (many - one) / (n - 1)
    print(f"| {label} | {one:.0f} | {many:.0f} | {marginal[label]:.1f} | {max(rss[label, n]) / 1024:.0f} MB | {len(ms[label, n])} |")
print(f"\nload average (1 min) during the runs: {min(loads):.1f}–{max(loads):.1f} on 2 cores")
# Each SkateBot model against the one-view peer (issue 11's comparison) and, for the three-view model, against the
# peer doing the same three views (the like-for-like figure).
pairs = [(label, "peer") for label in labels if not label.startswith("peer")]
if "skatebot-multi" in labels and "peer-multi" in labels:
    pairs.append(("skatebot-multi", "peer-multi"))
for label, peer in pairs:
    if marginal[label] <= 0 or marginal[peer] <= 0:
        print(f"{label} vs {peer}: no ratio (a marginal cost is not positive: startup noise swamps it; use a larger N)")
        continue
    ratio = marginal[peer] / marginal[label]
    verdict = "meets" if ratio >= 1.5 else "misses"
    print(f"{label} vs {peer}: {peer} / SkateBot marginal per photo = {ratio:.2f}x ({verdict} the 1.5x target)")
PYEOF
