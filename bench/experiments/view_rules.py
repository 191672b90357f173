#!/usr/bin/env python3
"""Scores ways of combining a photo's views, from per-view logits dumped by a build with views-size-pool.patch.

  view_rules.py FILES PREFIX[:FOLD] [PREFIX[:FOLD] ...]

FILES lists the photos in the order `predict --json` was given them (one path a line). Each PREFIX names a run:
PREFIX.json (predict's answers, to check the order) and PREFIX.views (one line of raw logits per photo, every view,
written with SKB_DUMP_VIEWS). FOLD is the recipe-cv fold the run's model did not train on: its photos of the wild
train share are counted as "cv", the rest of the train share is left out. Counted per set (cv, wild dev, studio
holdout, ../shared/photos/other): skate class right, `other` at 50 % or more, skates at 50 % or more `other`, and
P(other) AUC, as bench/recipe_cv.py counts them, for each rule: the three views (pad, centre, lower) averaged ("base"),
and with SKB_TILES the 9 tiles added in several ways, or with FLIP=1 (a dump made with SKB_FLIP=1) the three views
mirrored left to right added. Temperature and the first-view rule are left out, so "base" is
close to, not the same as, what `predict` answers.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import recipe_cv  # noqa: E402

CLASSES = recipe_cv.CLASSES
FOLDS = int(os.environ.get("FOLDS", "4"))  # as recipe-cv.sh was run


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def load(files, prefix, fold):
    answers = json.load(open(prefix + ".json"))
    if [a["file"] for a in answers] != files:
        sys.exit(f"{prefix}.json does not answer the photos of the list in its order")
    views = [np.array(json.loads(line)).reshape(-1, len(CLASSES)) for line in open(prefix + ".views")]
    if len(views) != len(files):
        sys.exit(f"{prefix}.views has {len(views)} photos, the list {len(files)}")
    rows = []
    for path, v in zip(files, views):
        parts = path.split("/")
        name, cls = parts[-1], parts[-2]
        if "/holdout/" in path:
            where = "studio holdout"
        elif "/wild/" in path:
            if recipe_cv.is_dev(name):
                where = "wild dev"
            elif fold is not None and recipe_cv.fold_of(name, FOLDS) == fold:
                where = "cv"
            else:
                continue
        else:
            where, cls = "other/", "other"
        rows.append((where, cls, v))
    return rows


def rules(v):
    base = v[:3].mean(0)
    out = {"base": softmax(base)}
    if os.environ.get("FLIP") == "1":  # SKB_FLIP=1 dumps: the three views, then each mirrored left to right
        out["with mirrored views (6)"] = softmax(v[:6].mean(0))
        out["mirrored views only"] = softmax(v[3:6].mean(0))
        return out
    tiles = v[3:]
    if len(tiles) == 0:
        return out
    tile_p = np.array([softmax(t) for t in tiles])
    best = tile_p[:, :2].max(1).argmax()  # the tile most sure of some skate class
    out["all views"] = softmax(v.mean(0))
    out["base + most skate-like tile"] = softmax(np.vstack([v[:3], tiles[best:best + 1]]).mean(0))
    out["pad + most skate-like tile"] = softmax(np.vstack([v[:1], tiles[best:best + 1]]).mean(0))
    out["P(other): lowest view"] = np.array([*(out["base"][:2] / out["base"][:2].sum() * (1 - tile_p[:, 2].min())),
                                             tile_p[:, 2].min()])
    out["probabilities averaged"] = np.array([softmax(x) for x in v]).mean(0)
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    files = [line.strip() for line in open(argv[1]) if line.strip()]
    rows = []
    for arg in argv[2:]:
        prefix, _, fold = arg.partition(":")
        rows += load(files, prefix, int(fold) if fold else None)
    print("| set | rule | skate class right | `other` ≥ 50 % | skates ≥ 50 % `other` | P(other) AUC |")
    print("|---|---|---|---|---|---|")
    for where in ("cv", "wild dev", "studio holdout", "other/"):
        chosen = [r for r in rows if r[0] == where]
        if not chosen:
            continue
        for name in rules(chosen[0][2]):
            probs = [(cls, rules(v)[name]) for _, cls, v in chosen]
            skates = [(cls, p) for cls, p in probs if cls != "other"]
            others = [p for cls, p in probs if cls == "other"]
            right = sum(p[CLASSES.index(c)] > p[1 - CLASSES.index(c)] for c, p in skates)
            a = recipe_cv.auc([p[2] for _, p in skates], [p[2] for p in others])
            a = "–" if a is None else f"{a:.3f}"
            print(f"| {where} | {name} | {right}/{len(skates)} | {sum(p[2] >= 0.5 for p in others)}/{len(others)} | "
                  f"{sum(p[2] >= 0.5 for _, p in skates)}/{len(skates)} | {a} |")


if __name__ == "__main__":
    main(sys.argv)
