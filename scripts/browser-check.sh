#!/usr/bin/env bash
# Drives the workbench in headless Chromium: starts the server on a fresh demo database, walks the main pages and
# one full warning lifecycle (push → accept → conclude with an attachment → rectify → report → close), checks what
# the pages show and saves screenshots. Needs chromium, chromium-driver, fonts-noto-cjk and Python selenium.
#   scripts/browser-check.sh [SCREENSHOT_DIR]      (the tianping binary: $TIANPING, default .build/debug/tianping)
set -euo pipefail
cd "$(dirname "$0")/.."
shots=${1:-browser-screenshots}
binary=${TIANPING:-.build/debug/tianping}
port=${BROWSER_CHECK_PORT:-8097}
work=$(mktemp -d)
mkdir -p "$shots"
"$binary" serve --demo --demo-cases 3000 --database "$work/demo.sqlite" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  grep -q "天平已启动" "$work/serve.log" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 1
done
grep -q "天平已启动" "$work/serve.log" || { echo "server did not start"; cat "$work/serve.log"; exit 1; }
python3 scripts/browser_check.py --base "http://127.0.0.1:$port" --accounts "$work/serve.log" --shots "$shots"
