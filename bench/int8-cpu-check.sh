#!/usr/bin/env bash
# Does the int8 export answer the same on a CPU without VNNI? ONNX Runtime's u8s8 kernels there (AVX2; AVX-512 before
# Cascade Lake; AMD before Zen 4) add two u8 × s8 products in a 16-bit lane that saturates, so 8-bit weights could be
# answered differently than on this box. This runs `predict --json` on the same photos three ways: float and int8 here,
# and int8 under qemu's user-mode emulation of a Haswell CPU (AVX2, no VNNI), then compares the answers.
#
#   bench/int8-cpu-check.sh MODEL.skmodel [PHOTO...]     # default photos: ../shared/photos/holdout
#   QEMU_CPU=Skylake-Server bench/int8-cpu-check.sh M    # another CPU model without VNNI (qemu-x86_64 -cpu help)
#
# Needs: qemu-user (`apt-get install qemu-user`), the .NET SDK, python3. Under qemu each photo takes a few seconds
# (26 photos: about a minute on 2 cores). `predict` is given --model: without it the data folder's LiteDB is opened,
# which crashed under qemu 7.2 here.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODEL=${1:?usage: bench/int8-cpu-check.sh MODEL.skmodel [PHOTO...]}
shift
if [ $# -eq 0 ]; then set -- "$ROOT"/../shared/photos/holdout/*/*; fi
QEMU_CPU=${QEMU_CPU:-Haswell}
command -v qemu-x86_64 >/dev/null || { echo "qemu-x86_64 not found: apt-get install qemu-user" >&2; exit 2; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/skatebot-int8-cpu.XXXXXX")
BIN=$OUT/bin
dotnet build -c Release "$ROOT/src/SkateBot" -o "$BIN" >/dev/null
DOTNET=$(readlink -f "$(command -v dotnet)")
grep -o -m1 -w 'avx512_vnni\|avx_vnni' /proc/cpuinfo | head -1 | sed 's/^/this CPU has /' || echo "this CPU has no VNNI"

SKATEBOT_PRECISION=float dotnet "$BIN/SkateBot.dll" predict --model "$MODEL" --json "$@" 2>/dev/null > "$OUT/float.json"
SKATEBOT_PRECISION=int8 dotnet "$BIN/SkateBot.dll" predict --model "$MODEL" --json "$@" 2>/dev/null > "$OUT/int8.json"
SKATEBOT_PRECISION=int8 qemu-x86_64 -cpu "$QEMU_CPU" "$DOTNET" "$BIN/SkateBot.dll" predict --model "$MODEL" --json "$@" \
    2> >(grep -v "TCG doesn't support" >&2) > "$OUT/int8-$QEMU_CPU.json"

python3 - "$OUT" "$QEMU_CPU" <<'PY'
import json, statistics, sys
out, cpu = sys.argv[1], sys.argv[2]
runs = {name: json.load(open(f"{out}/{name}.json")) for name in ("float", "int8", f"int8-{cpu}")}
def compare(a, b):
    x, y = runs[a], runs[b]
    assert [r["file"] for r in x] == [r["file"] for r in y], "the runs answered different files"
    changed = [(r["file"].split("/")[-1], r["label"], s["label"]) for r, s in zip(x, y) if r["label"] != s["label"]]
    diff = [max(abs(r["probabilities"][k] - s["probabilities"][k]) for k in r["probabilities"]) for r, s in zip(x, y)]
    print(f"{a:>14} vs {b:<18} {len(changed):3} of {len(x)} answers changed, largest probability difference "
          f"{max(diff):.4f}, median {statistics.median(diff):.4f}")
    for f, l1, l2 in changed: print(f"{'':>16}{f}: {l1} -> {l2}")
compare("int8", f"int8-{cpu}")
compare("float", "int8")
compare("float", f"int8-{cpu}")
PY
echo "answers: $OUT"
