#!/usr/bin/env python3
"""Folds and counts for bench/recipe-cv.sh.

  recipe_cv.py --make-folds WILD OUT FOLDS [SHARE [CLASSES]]
                                             symbolic-link trees OUT/f<k>/{train,test}/<class>/ over WILD's train share;
                                             with SHARE < 1 each fold trains on only that share of its wild photos
                                             (chosen by a hash of the file name, so a smaller share is a subset of a
                                             larger one) and is still tested on its whole fold: how the figures grow
                                             with the number of wild labels; CLASSES (comma-separated, e.g. other)
                                             limits the share to those classes' photos, the others all trained on
  recipe_cv.py RUN_DIR [RUN_DIR …]           counts over each recipe's runs (<RUN_DIR>/f<k>-s<seed>.json); with
                                             several, each against the first on the same cv photos (sign test)
  recipe_cv.py --average-seeds RUN_DIR OUT   an ensemble of each fold's seeds: every photo's probabilities averaged
                                             over RUN_DIR's seeds of that fold and answered by SkateBot's rule
                                             (Answering.Decide), written as OUT/f<k>-s<seeds>.json to count like a run

The dev share is chosen as SkateBot.Vision.Data.FolderSpec.IsDev does (SHA-256 of the file name, first four bytes
little-endian, mod 100 < 30) and is left out of every fold. A skate photo answered with the other skate class is
"wrong", answered unsure is "unsure"; an `other` photo answered unsure is "flagged", answered a skate class "wrong";
"by most likely class" counts photos whose most likely class is not their own (a skate taken for `other` included).
Two threshold-free figures: "skate class right", skate photos whose own class has more probability than the other skate
class; "P(other) AUC", how well P(other) ranks `other` photos above skate photos (1 = every `other` photo above every
skate photo, 0.5 = chance), so a recipe that only moves the "not a skate" line is told from one that separates better.
"""
import glob
import hashlib
import json
import math
import os
import struct
import sys

CLASSES = ("aggressive_skates", "inline_skates", "other")
DEV_PERCENT = 30


def _u32(text):
    return struct.unpack("<I", hashlib.sha256(text.encode()).digest()[:4])[0]


def is_dev(name):
    return _u32(name) % 100 < DEV_PERCENT


def fold_of(name, folds):
    return _u32("fold;" + name) % folds


def in_share(name, share):
    return _u32("share;" + name) % 1000 < share * 1000


def make_folds(wild, out, folds, share=1.0, share_classes=None):
    if not 0 < share <= 1:
        sys.exit(f"SHARE must be above 0 and at most 1, not {share}")
    if share_classes is not None and not set(share_classes) <= set(CLASSES):
        sys.exit(f"CLASSES must be among {', '.join(CLASSES)}, not {', '.join(share_classes)}")
    counts = [dict.fromkeys(CLASSES, 0) for _ in range(folds)]
    trained = [dict.fromkeys(CLASSES, 0) for _ in range(folds)]
    for k in range(folds):
        for part in ("train", "test"):
            for c in CLASSES:
                os.makedirs(os.path.join(out, f"f{k}", part, c), exist_ok=True)
    for c in CLASSES:
        for path in sorted(glob.glob(os.path.join(wild, c, "*"))):
            name = os.path.basename(path)
            if is_dev(name):
                continue
            fk = fold_of(name, folds)
            counts[fk][c] += 1
            for k in range(folds):
                if k != fk and (share_classes is None or c in share_classes) and not in_share(name, share):
                    continue
                trained[k][c] += k != fk
                os.symlink(os.path.abspath(path), os.path.join(out, f"f{k}", "test" if k == fk else "train", c, name))
    for k in range(folds):  # a small share can leave a fold no wild photo of a class; `train` refuses an empty class folder
        for c in CLASSES:
            folder = os.path.join(out, f"f{k}", "train", c)
            if not os.listdir(folder):
                os.rmdir(folder)
    with open(os.path.join(out, "FOLDS"), "w") as f:
        f.write(str(folds))
    for k, n in enumerate(counts):
        print(f"   fold {k}: " + ", ".join(f"{c} {n[c]}" for c in CLASSES)
              + "; trains on wild " + ", ".join(f"{c} {trained[k][c]}" for c in CLASSES))


def answers(run_dir):
    """Every answer of a recipe's runs that counts, as (set, seed, file name, true class, answer): the held-out fold's
    train-share photos ("cv"), the dev share, the studio holdout and ../shared/photos/other ("other/")."""
    folds = int(open(os.path.join(run_dir, "folds", "FOLDS")).read())
    for path in sorted(glob.glob(os.path.join(run_dir, "f*-s*.json"))):
        k, seed = os.path.basename(path)[1:-len(".json")].split("-s")
        for a in json.load(open(path)):
            f = a["file"]
            name, true = os.path.basename(f), os.path.basename(os.path.dirname(f))
            if "/holdout/" in f:
                part = "studio holdout"
            elif "/wild/" in f:
                part = "wild dev" if is_dev(name) else ("cv" if fold_of(name, folds) == int(k) else None)
            else:
                part, true = "other/", "other"
            if part is not None:
                yield part, seed, name, true, a


OTHER_AT_LEAST = 0.5  # SkateBot.Vision.Inference.Answering.OtherAtLeast
UNSURE_BELOW = 0.6    # Answering.DefaultUnsureBelow


def decide(probabilities):
    """Answering.Decide: unsure when `other` has at least half, or the best skate class under 60 % of the skate classes."""
    skates = {c: p for c, p in probabilities.items() if c != "other"}
    best = max(skates, key=skates.get)
    total = sum(skates.values())
    if probabilities.get("other", 0.0) >= OTHER_AT_LEAST or total <= 0 or skates[best] / total < UNSURE_BELOW:
        return "unsure"
    return best


def average_seeds(run_dir, out):
    """Writes OUT/f<k>-s<seeds>.json: per fold, each photo's probabilities averaged over the seeds, labelled by decide()."""
    os.makedirs(out, exist_ok=True)
    if not os.path.exists(os.path.join(out, "folds")):
        os.symlink(os.path.abspath(os.path.join(run_dir, "folds")), os.path.join(out, "folds"))
    by_fold = {}
    for path in sorted(glob.glob(os.path.join(run_dir, "f*-s*.json"))):
        k, seed = os.path.basename(path)[1:-len(".json")].split("-s")
        by_fold.setdefault(k, {})[seed] = {a["file"]: a for a in json.load(open(path))}
    for k, seeds in sorted(by_fold.items()):
        files = set.intersection(*(set(answers) for answers in seeds.values()))
        merged = []
        for f in sorted(files):
            probabilities = {c: sum(seeds[s][f]["probabilities"].get(c, 0.0) for s in seeds) / len(seeds)
                             for c in seeds[next(iter(seeds))][f]["probabilities"]}
            merged.append({"file": f, "label": decide(probabilities), "probabilities": probabilities})
        name = f"f{k}-s{'+'.join(sorted(seeds))}.json"
        with open(os.path.join(out, name), "w") as fh:
            json.dump(merged, fh)
        print(f"   fold {k}: {len(merged)} photos averaged over seeds {', '.join(sorted(seeds))}")


def runs_of(run_dir):
    return len(glob.glob(os.path.join(run_dir, "f*-s*.json")))


def right(true, a):
    """A skate photo answered its class, an `other` photo answered unsure."""
    return a["label"] == true or (true == "other" and a["label"] == "unsure")


def count(run_dir):
    totals = {}
    for part, _, _, true, a in answers(run_dir):
        t = totals.setdefault(part, dict(skates=0, others=0, wrong=0, unsure=0, flagged=0, most_likely=0,
                                         skate_scores=[], other_scores=[], skate_class_right=0))
        skate = true != "other"
        t["skates" if skate else "others"] += 1
        if a["label"] == "unsure":
            t["unsure" if skate else "flagged"] += 1
        elif a["label"] != true:
            t["wrong"] += 1
        probabilities = a["probabilities"]  # best_class is the closest skate class, so not used here
        if max(probabilities, key=probabilities.get) != true:
            t["most_likely"] += 1
        (t["skate_scores"] if skate else t["other_scores"]).append(probabilities.get("other", 0.0))
        if skate:
            rival = next(c for c in CLASSES[:2] if c != true)
            t["skate_class_right"] += probabilities[true] > probabilities[rival]
    return runs_of(run_dir), totals


def auc(negatives, positives):
    """Probability that a random positive scores above a random negative (ties count half): threshold-free."""
    if not negatives or not positives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(negatives) * len(positives))


def pct(n, d):
    return f"{n}/{d} ({100 * n / d:.0f} %)" if d else "–"


def report(run_dirs):
    print("| recipe | runs | set | answers | named wrong | skates unsure | `other` flagged | wrong or unsure | wrong by most "
          "likely class | skate class right | P(other) AUC |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for run_dir in run_dirs:
        runs, totals = count(run_dir)
        for part in ("cv", "wild dev", "studio holdout", "other/"):
            t = totals.get(part)
            if not t:
                continue
            n = t["skates"] + t["others"]
            a = auc(t["skate_scores"], t["other_scores"])
            area = "–" if a is None else f"{a:.3f}"
            bad = t["wrong"] + t["unsure"]  # an `other` photo not flagged was named a skate class: in "wrong"
            print(f"| {os.path.basename(run_dir.rstrip('/'))} | {runs} | {part} | {n} | {pct(t['wrong'], n)} | "
                  f"{pct(t['unsure'], t['skates'])} | {pct(t['flagged'], t['others'])} | {pct(bad, n)} | "
                  f"{pct(t['most_likely'], n)} | {pct(t['skate_class_right'], t['skates'])} | {area} |")


def cv_outcomes(run_dir):
    """(file name, seed) -> answered right, for the cv photos."""
    return {(name, seed): right(true, a) for part, seed, name, true, a in answers(run_dir) if part == "cv"}


def paired(run_dirs):
    """Each recipe against the first on the same cv photos: the photos only one of them answers right, and a two-sided
    sign test on those (how likely so uneven a split is when the recipes are equally good)."""
    first = cv_outcomes(run_dirs[0])
    for run_dir in run_dirs[1:]:
        other = cv_outcomes(run_dir)
        shared = first.keys() & other.keys()
        a = sum(first[x] and not other[x] for x in shared)
        b = sum(other[x] and not first[x] for x in shared)
        n = a + b
        p = min(1.0, 2 * sum(math.comb(n, i) for i in range(min(a, b) + 1)) / 2 ** n) if n else 1.0
        print(f"{os.path.basename(run_dir.rstrip('/'))} against {os.path.basename(run_dirs[0].rstrip('/'))} on {len(shared)} "
              f"cv answers: right only with the first {a}, only with this one {b}; sign test p = {p:.2f}")


if __name__ == "__main__":
    if len(sys.argv) in (5, 6, 7) and sys.argv[1] == "--make-folds":
        make_folds(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]) if len(sys.argv) >= 6 else 1.0,
                   sys.argv[6].split(",") if len(sys.argv) == 7 and sys.argv[6] else None)
    elif len(sys.argv) == 4 and sys.argv[1] == "--average-seeds":
        average_seeds(sys.argv[2], sys.argv[3])
        report([sys.argv[3]])
    elif len(sys.argv) >= 2 and not sys.argv[1].startswith("-"):
        report(sys.argv[1:])
        if len(sys.argv) > 2:
            print()
            paired(sys.argv[1:])
    else:
        sys.exit(__doc__)
