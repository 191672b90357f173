#!/usr/bin/env bash
# Answers every shared photo with each fold model of a finished bench/recipe-cv.sh run, dumping every view's raw
# logits, then scores ways of combining views (view_rules.py). Run it from a tree with views-size-pool.patch applied:
#
#   git worktree add ../exp HEAD && cd ../exp && git apply bench/experiments/views-size-pool.patch
#   bench/experiments/test-time-views.sh "$TMPDIR/skatebot-recipe-cv/defaults" 224 0.5   # 3 views + 9 tiles at 224
#   bench/experiments/test-time-views.sh "$TMPDIR/skatebot-recipe-cv/defaults" 288       # the 3 views at 288
#
#   SKB_FLIP=1 bench/experiments/test-time-views.sh "$TMPDIR/skatebot-recipe-cv/defaults" 224   # + the 3 views mirrored
#
# SIZE is the side the views are made at (the models were trained at 224; the mean image is resized bilinearly).
# TILES, when given, adds 9 squares of TILES × the shorter side (3 × 3 positions). The forward runs on TorchSharp in
# float. Results go to RUN/views-SIZE[-tTILES]/. Needs the .NET SDK, /usr/bin/python3 with numpy, ../shared/photos.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUN=${1:?recipe-cv output folder}; SIZE=${2:-224}; TILES=${3:-}
PHOTOS=${PHOTOS:-$ROOT/../shared/photos}
grep -q SKB_DUMP_VIEWS "$ROOT/src/SkateBot.Vision/Inference/SkateClassifier.cs" \
  || { echo "apply bench/experiments/views-size-pool.patch first" >&2; exit 2; }
OUT=$RUN/views-$SIZE${TILES:+-t$TILES}${SKB_FLIP:+-flip}; mkdir -p "$OUT"
dotnet build -c Release "$ROOT/src/SkateBot/SkateBot.csproj" -nologo -v q -o "$OUT/bin" >"$OUT/build.log" 2>&1 \
  || { tail -20 "$OUT/build.log"; exit 1; }
find "$PHOTOS/holdout" "$PHOTOS/wild" "$PHOTOS/other" -type f \
  \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' \) | sort >"$OUT/files.txt"
mapfile -t FILES <"$OUT/files.txt"
folds=$(cat "$RUN/folds/FOLDS"); args=()
for ((k = 0; k < folds; k++)); do
  rm -f "$OUT/f$k.views"
  SKB_VIEW_SIZE=$SIZE SKB_TILES=$TILES SKB_DUMP_VIEWS="$OUT/f$k.views" SKATEBOT_Model__Engine=torch \
    SKATEBOT_Storage__DataDirectory="$RUN/f$k-s42" dotnet "$OUT/bin/SkateBot.dll" predict --json "${FILES[@]}" \
    >"$OUT/f$k.json" 2>"$OUT/f$k.log" || { tail -20 "$OUT/f$k.log"; exit 1; }
  args+=("$OUT/f$k:$k")
done
FLIP=${SKB_FLIP:-0} FOLDS=$folds /usr/bin/python3 "$ROOT/bench/experiments/view_rules.py" "$OUT/files.txt" "${args[@]}"
