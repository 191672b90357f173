#!/usr/bin/env python3
"""Writes N deterministic stand-ins for 12-megapixel phone photos (4000x3000 JPEG, quality 90, about 2.4 MB each):
smooth colour gradients plus per-pixel sensor-like Gaussian noise, so the entropy-coded data (and the decode cost) is
close to a real photo's. Same bytes on every run.  Usage: make_photos.py OUT_DIR [N]
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
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    noise = rng.normal(0, SIGMA, (H, W, 3)).astype(np.float32)  # drawn once, shifted per photo (generation stays fast)
    for i in range(n):
        band = np.sin((x + y) * 0.004 + i) * 60
        base = np.stack([255 * x / W + band, 255 * y / H - band,
                         128 + 100 * np.cos(x * 0.002 + i * 0.3) * np.sin(y * 0.003)], -1)
        pixels = np.clip(base + np.roll(noise, (i * 37, i * 53), (0, 1)), 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(os.path.join(out, f"photo{i:02d}.jpg"), quality=QUALITY)


if __name__ == "__main__":
    main()
