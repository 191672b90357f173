#!/usr/bin/env python3
"""The Python peer of `SkateBot predict`: what a careful fast.ai-style bot does with Debian's packages.

Classifies JPEG files with PIL's draft mode (libjpeg DCT scaling, so a 12 MP photo decodes at 1/2, 1/4 or 1/8 of its
size), torchvision's ResNet18 with a 2-class head, in batches of 16, eval mode, no_grad. The weights are random: the
script exists for timing, its labels mean nothing.

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


def load(path, preprocess):
    img = Image.open(path)
    img.draft("RGB", (SIZE, SIZE))  # smallest DCT scale whose result is still >= 224 on both sides
    img = ImageOps.exif_transpose(img).convert("RGB")
    return preprocess(img)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--batch-size", type=int, default=16)
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
            batch = torch.stack([load(p, preprocess) for p in chunk])
            t1 = time.perf_counter()
            probs = torch.softmax(model(batch), dim=1)
            t2 = time.perf_counter()
            decode_s += t1 - t0
            forward_s += t2 - t1
            for path, p in zip(chunk, probs):
                best = int(p.argmax())
                print(f"{path}: {CLASSES[best]} ({float(p[best]):.1%})")
    total = time.perf_counter() - started
    n = len(args.files)
    print(f"peer: {n} files, decode+preprocess {decode_s * 1000 / n:.1f} ms/file, forward {forward_s * 1000 / n:.1f} ms/file, "
          f"total {total:.2f} s, torch {torch.__version__}, {torch.get_num_threads()} threads", file=sys.stderr)


if __name__ == "__main__":
    main()
