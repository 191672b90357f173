#!/usr/bin/env bash
# What the Dockerfile does, without Docker: publish the service the way the image does (Release, to one folder), lay out a
# working directory like the image's /app (data/sample, an empty config/), train a first model from the publish folder,
# start `serve` from it, and wait until `health` (the image's HEALTHCHECK command) says 200; then SIGTERM and report the
# exit code. Usage: build/check-publish.sh [port]   (a few minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-19464}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=""
echo "publishing to $work/opt/skatebot"
dotnet publish src/SkateBot/SkateBot.csproj -c Release -o "$work/opt/skatebot" -v quiet -nologo
mkdir -p "$work/app/data" "$work/app/config"
cp -r data/sample "$work/app/data/sample"
cd "$work/app"
app=(dotnet "$work/opt/skatebot/SkateBot.dll")
export SKATEBOT_Observability__Url="http://127.0.0.1:$port"
echo "training a first model on data/sample (1 frozen epoch)"
"${app[@]}" train --frozen-epochs 1 --epochs 0 | tail -3
"${app[@]}" serve > serve.log 2>&1 &
pid=$!
for i in $(seq 1 120); do
  if "${app[@]}" health --timeout 2 > health.txt 2>&1; then
    echo "healthy after ~${i} s: $(cat health.txt)"; break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "serve exited early:"; cat serve.log; exit 1; fi
  sleep 1
done
grep -q '^200 ' health.txt || { echo "never healthy: $(cat health.txt)"; tail -20 serve.log; exit 1; }
kill -TERM "$pid"
set +e; wait "$pid"; code=$?; set -e
pid=""
echo "serve exited with $code after SIGTERM"
tail -3 serve.log
[ "$code" = 0 ]
