#!/usr/bin/env bash
# Measures a training recipe on more wild photos than the 23 of the dev share, without touching the dev share:
# k-fold cross-validation over the wild TRAIN share. Fold k of the train share is the files whose
# SHA-256("fold;" + file name) % FOLDS is k; each fold trains `train ../shared/photos/train <the other folds>` and
# answers every shared photo with `predict --json`; bench/recipe_cv.py then counts, over all runs, the held-out fold
# ("cv": every train-share photo once per seed), the dev share, the studio holdout and ../shared/photos/other.
#
#   bench/recipe-cv.sh                                  # today's defaults, 4 folds, seed 42: label "defaults"
#   LABEL=c4 SKATEBOT_Training__CompositesPerStudioImage=4 bench/recipe-cv.sh   # a recipe setting, by configuration
#   SEEDS="42 7" FOLDS=4 bench/recipe-cv.sh             # more trainings per recipe
#   LABEL=ms50 TRAIN_ARGS="--min-scale 0.5" bench/recipe-cv.sh   # a `train` option (words split on spaces)
#   LABEL=share50 WILD_SHARE=0.5 bench/recipe-cv.sh    # each fold trains on half its wild photos (tested on all of its fold)
#   LABEL=other50 WILD_SHARE=0.5 WILD_SHARE_CLASSES=other bench/recipe-cv.sh   # half its wild `other` photos, every skate photo
#   LABEL=drawnother PHOTOS=DIR bench/recipe-cv.sh     # another photo tree; links are followed, so DIR may be links to
#                                                       # ../shared/photos with one more class folder in DIR/train
#   bench/recipe_cv.py "$TMPDIR/skatebot-recipe-cv/defaults" "$TMPDIR/skatebot-recipe-cv/c4"   # compare finished runs
#
# Each training takes about as long as `train` on all shared photos (2–3 minutes on 2 cores), so 4 folds × 1 seed is
# 10–15 minutes. The fold trees are symbolic links to ../shared/photos (nothing is copied); runs are kept under
# OUT (default $TMPDIR/skatebot-recipe-cv/LABEL) so several recipes can be compared afterwards.
# Needs: the .NET SDK, python3, ../shared/photos beside the repository.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PHOTOS=${PHOTOS:-$ROOT/../shared/photos}
FOLDS=${FOLDS:-4}
SEEDS=${SEEDS:-42}
WILD_SHARE=${WILD_SHARE:-1}
WILD_SHARE_CLASSES=${WILD_SHARE_CLASSES:-}
LABEL=${LABEL:-defaults}
read -r -a TRAIN_EXTRA <<<"${TRAIN_ARGS:-}"
OUT=${OUT:-${TMPDIR:-/tmp}/skatebot-recipe-cv/$LABEL}
PY=${PYTHON:-python3}
[ -d "$PHOTOS/train" ] && [ -d "$PHOTOS/wild" ] || { echo "no shared photos at $PHOTOS (set PHOTOS)" >&2; exit 2; }
PHOTOS=$(cd "$PHOTOS" && pwd)

# OUT is emptied first, but only if it is empty or an earlier run of this script (never a folder someone named by mistake).
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/folds/FOLDS" ]; then
  echo "OUT=$OUT exists and is not an earlier recipe-cv run; name another folder" >&2; exit 2; fi
rm -rf "$OUT"; mkdir -p "$OUT"
"$PY" "$ROOT/bench/recipe_cv.py" --make-folds "$PHOTOS/wild" "$OUT/folds" "$FOLDS" "$WILD_SHARE" "$WILD_SHARE_CLASSES"
dotnet build -c Release "$ROOT/src/SkateBot/SkateBot.csproj" -nologo -v q -o "$OUT/bin" >"$OUT/build.log" 2>&1 \
  || { tail -20 "$OUT/build.log"; exit 1; }

mapfile -t FILES < <(find -L "$PHOTOS/holdout" "$PHOTOS/wild" "$PHOTOS/other" -type f \
  \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' \) | sort)
echo "== recipe '$LABEL': $FOLDS folds × seeds $SEEDS, wild share $WILD_SHARE${WILD_SHARE_CLASSES:+ of $WILD_SHARE_CLASSES}; settings: $(env | grep '^SKATEBOT_Training__' | tr '\n' ' ')${TRAIN_EXTRA[*]:+; train ${TRAIN_EXTRA[*]}}"
for seed in $SEEDS; do
  for ((k = 0; k < FOLDS; k++)); do
    run="$OUT/f$k-s$seed"; mkdir -p "$run"
    start=$(date +%s)
    SKATEBOT_Storage__DataDirectory="$run" dotnet "$OUT/bin/SkateBot.dll" train "$PHOTOS/train" "$OUT/folds/f$k/train" \
      --seed "$seed" ${TRAIN_EXTRA[@]+"${TRAIN_EXTRA[@]}"} >"$run.train.log" 2>&1 || { tail -20 "$run.train.log"; exit 1; }
    SKATEBOT_Storage__DataDirectory="$run" dotnet "$OUT/bin/SkateBot.dll" predict --json "${FILES[@]}" \
      >"$run.json" 2>"$run.predict.log" || { tail -20 "$run.predict.log"; exit 1; }
    echo "   fold $k seed $seed: trained and answered in $(( $(date +%s) - start )) s [load $(cut -d' ' -f1-3 /proc/loadavg)]"
    rm -rf "$run/cache" "$run/runs"
  done
done
"$PY" "$ROOT/bench/recipe_cv.py" "$OUT"
