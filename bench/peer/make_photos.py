#!/usr/bin/env python3
"""Writes N deterministic stand-ins for 12-megapixel phone photos (4000x3000 JPEG, quality 90, about 2.4 MB each):
smooth colour gradients plus per-pixel sensor-like Gaussian noise, so the entropy-coded data (and the decode cost) is
close to a real photo's. Same bytes on every run.  Usage: make_photos.py OUT_DIR [N] [SOURCE_DIR]

With SOURCE_DIR, photo i is instead the i-th image under it (cycling, sorted by path) scaled up so its longer side is
4000 pixels (aspect kept: a model sees what it would see in the original) plus the same noise: real content, so a
model's confidence (and how many views the first-view rule forwards) means something.
"""
import os
import sys

import numpy as np
from PIL import Image

W, H, SIGMA, QUALITY = 4000, 3000, 6.5, 90


def main():
    out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 64
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20240601)
    if len(sys.argv) > 3:
        from_sources(out, n, sys.argv[3], rng)
        return
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    noise = rng.normal(0, SIGMA, (H, W, 3)).astype(np.float32)  # drawn once, shifted per photo (generation stays fast)
    for i in range(n):
        band = np.sin((x + y) * 0.004 + i) * 60
        base = np.stack([255 * x / W + band, 255 * y / H - band,
                         128 + 100 * np.cos(x * 0.002 + i * 0.3) * np.sin(y * 0.003)], -1)
        pixels = np.clip(base + np.roll(noise, (i * 37, i * 53), (0, 1)), 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(os.path.join(out, f"photo{i:02d}.jpg"), quality=QUALITY)


def from_sources(out, n, source_dir, rng):
    exts = (".jpg", ".jpeg", ".png", ".webp")
    sources = sorted(os.path.join(d, f) for d, _, files in os.walk(source_dir) for f in files if f.lower().endswith(exts))
    if not sources:
        sys.exit(f"no images under {source_dir}")
    noise = rng.normal(0, SIGMA, (W, W, 3)).astype(np.float32)
    for i in range(n):
        with Image.open(sources[i % len(sources)]) as im:
            im = im.convert("RGB")
            scale = W / max(im.size)
            im = im.resize((round(im.width * scale), round(im.height * scale)), Image.BICUBIC)
        pixels = np.asarray(im, dtype=np.float32)
        h, w = pixels.shape[:2]
        shifted = np.roll(noise, (i * 37, i * 53), (0, 1))  # cycled sources still differ byte for byte
        pixels = np.clip(pixels + shifted[:h, :w], 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(os.path.join(out, f"photo{i:02d}.jpg"), quality=QUALITY)


if __name__ == "__main__":
    main()
