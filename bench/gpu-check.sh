#!/usr/bin/env bash
# GPU check (a few minutes): builds the GPU variant (ONNX Runtime's CUDA build, Microsoft.ML.OnnxRuntime.Gpu.Linux
# 1.31.0, via -p:OrtBackend=cuda) into its own artifacts folder, runs the ONNX-vs-TorchSharp parity test with ONNX
# Runtime forced onto the CUDA execution provider (SKATEBOT_ORT_PROVIDER=cuda: a missing GPU, CUDA 13 library or cuDNN 9 is an
# error, never a quiet CPU fallback), then the classify/burst benchmarks with ORT on CUDA, and prints the table.
# TorchSharp rows stay on the CPU: TorchSharp's CUDA packages are not served by this project's mirror.
# Needs: an NVIDIA GPU with its driver, the CUDA 13 runtime libraries (the 1.31.0 CUDA provider loads libcublasLt.so.13)
# and cuDNN 9 on the loader path, the .NET 10 SDK, and the
# NuGet packages restorable (or already in ~/.nuget/packages).
# Usage: bench/gpu-check.sh [BenchmarkDotNet filter ...]   (default: the classify and ModelHost rows)
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${SKATEBOT_GPU_ARTIFACTS:-${TMPDIR:-/tmp}/skatebot-gpu}"
filters=("$@")
[ ${#filters[@]} -gt 0 ] || filters=('*Classify*' '*Host*' '*OnnxRuntimeBatch1*')

echo "== $(date -u +%FT%TZ) $(uptime)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || echo "nvidia-smi not found"

echo "== build (GPU variant) into $artifacts"
dotnet build tests/SkateBot.Vision.Tests -c Release -p:OrtBackend=cuda --artifacts-path "$artifacts" -warnaserror
dotnet build bench/SkateBot.Bench -c Release -p:OrtBackend=cuda --artifacts-path "$artifacts" -warnaserror

export SKATEBOT_ORT_PROVIDER=cuda
echo "== parity test: ONNX Runtime (CUDA) vs TorchSharp (CPU), probabilities within 1e-4"
dotnet test tests/SkateBot.Vision.Tests -c Release -p:OrtBackend=cuda --artifacts-path "$artifacts" --no-build \
  --filter "FullyQualifiedName~OnnxEngineTests" --logger "console;verbosity=detailed" | tee "$artifacts/parity.txt"
grep -q "onnxruntime cuda" "$artifacts/parity.txt" || { echo "FAIL: the parity test did not run on the CUDA provider"; exit 1; }

echo "== benchmark (ONNX Runtime on CUDA)"
bench_dll="$(find "$artifacts/bin/SkateBot.Bench" -name SkateBot.Bench.dll -path '*release*' | head -1)"
(cd "$(dirname "$bench_dll")" && dotnet "$bench_dll" --filter "${filters[@]}") | tee "$artifacts/bench.txt"
echo "== burst figures (interleaved rounds, ONNX Runtime on CUDA)"
(cd "$(dirname "$bench_dll")" && dotnet "$bench_dll" burst 5) | tee "$artifacts/burst.txt"
echo
echo "== table"
sed -n '/^| Method/,/^$/p' "$artifacts/bench.txt"
grep -E "^(Device|Ratios|// SkateBot.Bench:)" "$artifacts/bench.txt"
sed -n '/^| figure/,$p' "$artifacts/burst.txt"
