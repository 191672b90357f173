#!/usr/bin/env python3
"""The Python peer of `SkateBot predict`: what a careful fast.ai-style bot does with Debian's packages.

Classifies JPEG files with PIL's draft mode (libjpeg DCT scaling, so a 12 MP photo decodes at 1/2, 1/4 or 1/8 of its
size), torchvision's ResNet18 with a 2-class head, in batches of 16, eval mode, no_grad. The weights are random: the
script exists for timing, its labels mean nothing.

`--views 1` (default) is the centre crop; `--views 3` does what SkateBot's default `multi` preprocessing does: the whole
photo padded to a square with its mean edge colour, the centre square and the lower square (portrait: the bottom
square; landscape: side 2/3 of the height at the bottom, centred), all three through the network, logits averaged.

    sudo apt-get install python3-torch python3-torchvision python3-pil   # Debian 12: torch 1.13, PIL 9.4
    /usr/bin/python3 bench/peer/classify.py photo1.jpg photo2.jpg ...

Prints one line per file and, on stderr, a timing line (decode + preprocess, forward, total).
"""
import argparse
import sys
import time

import torch
import torchvision
from PIL import Image, ImageOps
from torchvision import transforms

SIZE = 224
CLASSES = ["aggressive_skates", "inline_skates"]


def load(path, preprocess, views):
    img = Image.open(path)
    # Smallest DCT scale whose result is still >= 224 on both sides (three views: the lower square of a landscape photo
    # is 2/3 of its height, so the shorter side must reach 1.5 x 224 for it not to be enlarged).
    need = SIZE if views == 1 else SIZE * 3 // 2
    img.draft("RGB", (need, need))
    img = ImageOps.exif_transpose(img).convert("RGB")
    if views == 1:
        return [preprocess(img)]
    w, h = img.size
    edge = [img.getpixel((x, y)) for x in (0, w - 1) for y in range(0, h, max(1, h // 16))] + \
           [img.getpixel((x, y)) for y in (0, h - 1) for x in range(0, w, max(1, w // 16))]
    fill = tuple(sum(c[i] for c in edge) // len(edge) for i in range(3))
    padded = ImageOps.pad(img, (SIZE, SIZE), method=Image.BILINEAR, color=fill)
    side = w if h > w else max(1, h * 2 // 3)
    lower = img.crop(((w - side) // 2, h - side, (w - side) // 2 + side, h)).resize((SIZE, SIZE), Image.BILINEAR)
    return [preprocess(padded), preprocess(img), preprocess(lower)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--views", type=int, choices=[1, 3], default=1, help="1: centre crop; 3: padded + centre + lower square")
    parser.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=len(CLASSES))  # random weights: timing only
    model.eval()
    preprocess = transforms.Compose([
        transforms.Resize(SIZE),  # shorter side to 224, bilinear with antialiasing (PIL)
        transforms.CenterCrop(SIZE),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    decode_s = forward_s = 0.0
    with torch.no_grad():
        for i in range(0, len(args.files), args.batch_size):
            chunk = args.files[i:i + args.batch_size]
            t0 = time.perf_counter()
            batch = torch.stack([v for p in chunk for v in load(p, preprocess, args.views)])
            t1 = time.perf_counter()
            logits = model(batch).view(len(chunk), args.views, len(CLASSES)).mean(dim=1)
            probs = torch.softmax(logits, dim=1)
            t2 = time.perf_counter()
            decode_s += t1 - t0
            forward_s += t2 - t1
            for path, p in zip(chunk, probs):
                best = int(p.argmax())
                print(f"{path}: {CLASSES[best]} ({float(p[best]):.1%})")
    total = time.perf_counter() - started
    n = len(args.files)
    print(f"peer: {n} files, decode+preprocess {decode_s * 1000 / n:.1f} ms/file, forward {forward_s * 1000 / n:.1f} ms/file, "
          f"total {total:.2f} s, {args.views} view(s) per photo, torch {torch.__version__}, {torch.get_num_threads()} threads", file=sys.stderr)


if __name__ == "__main__":
    main()
