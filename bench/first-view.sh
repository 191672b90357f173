#!/usr/bin/env bash
# The first-view rule (Vision/Inference/ViewCascade.cs) against averaging every view, on real photos and a real model:
# `predict --timings` over the same files with the model's own threshold and with --first-view-above 1, interleaved
# REPEATS times; prints each run's views forwarded and forward cost, then the medians and their ratio, and checks that
# both gave the same answers.
#
#   bench/first-view.sh                                   # ../shared/photos/holdout and ../shared/photos/other, serving model
#   MODEL=v1 REPEATS=5 bench/first-view.sh photos/*.jpg   # other files, another model version or checkpoint
#
# Use a model trained on the shared photos (README, "Photos from the wild"): a stand-in model trained for a minute is
# rarely sure of anything, so its first views would seldom decide. Photos the model trained on flatter the rule (it is
# surer of them): the default files were never trained on.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPEATS=${REPEATS:-3}
if [ $# -gt 0 ]; then FILES=("$@"); else
  mapfile -t FILES < <(find "$ROOT/../shared/photos/holdout" "$ROOT/../shared/photos/other" -type f \
    \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' \) | sort)
fi
[ ${#FILES[@]} -gt 0 ] || { echo "no photos: pass files, or put ../shared/photos beside the repository" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/skatebot-first-view.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
dotnet build -c Release "$ROOT/src/SkateBot/SkateBot.csproj" -nologo -v q -o "$WORK/bin" >"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log"; exit 1; }
MODEL_ARGS=()
[ -n "${MODEL:-}" ] && MODEL_ARGS=(--model "$MODEL")

echo "== ${#FILES[@]} photos, $REPEATS repeats, load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for r in $(seq 1 "$REPEATS"); do
  for rule in model 1; do
    args=(); [ "$rule" = 1 ] && args=(--first-view-above 1)
    (cd "$ROOT" && dotnet "$WORK/bin/SkateBot.dll" predict --json --timings "${MODEL_ARGS[@]}" "${args[@]}" "${FILES[@]}") \
      >"$WORK/answers-$rule-$r.json" 2>"$WORK/timings-$rule-$r.log" || { tail -5 "$WORK/timings-$rule-$r.log" >&2; exit 1; }
    line=$(grep '^timings:' "$WORK/timings-$rule-$r.log")
    echo "$rule: $line"
    fwd=$(sed -E 's/.*forward ([0-9.]+) ms\/file.*/\1/' <<<"$line")
    views=$(sed -E 's/.* ([0-9]+) forwarded.*/\1/' <<<"$line")
    printf '%s\t%s\t%s\n' "$rule" "$fwd" "$views" >>"$WORK/results.tsv"
  done
done

python3 - "$WORK" "$REPEATS" "${#FILES[@]}" <<'PY'
import json, statistics, sys
work, repeats, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [l.split('\t') for l in open(f'{work}/results.tsv').read().split('\n') if l]
med = {r: statistics.median(float(x[1]) for x in rows if x[0] == r) for r in ('model', '1')}
views = {r: int([x for x in rows if x[0] == r][0][2]) for r in ('model', '1')}
def labels(rule):
    return {a['file']: a.get('label', a.get('error')) for a in json.load(open(f'{work}/answers-{rule}-1.json'))}
a, b = labels('model'), labels('1')
changed = [f for f in a if a[f] != b.get(f)]
print(f"first-view rule: {views['model']} views for {n} photos ({views['model']/n:.2f} per photo), forward {med['model']:.1f} ms/photo (median of {repeats})")
print(f"every view:      {views['1']} views for {n} photos ({views['1']/n:.2f} per photo), forward {med['1']:.1f} ms/photo")
print(f"forward cost ratio {med['1']/med['model']:.2f}x; answers changed: {len(changed)}" + (f" ({', '.join(changed)})" if changed else ""))
PY
