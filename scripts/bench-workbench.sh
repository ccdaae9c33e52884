#!/usr/bin/env bash
# Latency of the workbench's overview and warning list under concurrent load from wrk on loopback, signed in as the
# province's political-legal committee supervisor (whose scope is the whole province). Prints one JSON object.
#   scripts/bench-workbench.sh DATABASE [SECONDS=30] [CONNECTIONS=16]
# DATABASE is a loaded store (e.g. 1,000,000 cases: see BENCHMARKS.md). The binary is $TIANPING, default the
# release build .build-release/release/tianping. Needs wrk, curl and python3.
# BENCH_PAGES chooses the pages (default: all): overview list list-filtered list-city search search-name search-id
# notice-pdf. `list-city` is one city's red warnings; `search` looks a case up by its 案号 (answered by a redirect to
# the case), `search-name` by a suspect's name and `search-id` by an identity number; `notice-pdf` pushes one warning
# (timed on its own: the step renders, keeps and logs the 督办通知书) and then serves its PDF file. A build older than
# the search box has only the first three. `me` (the signed-in account, no data) measures the access layer alone.
set -euo pipefail
cd "$(dirname "$0")/.."
database=$1
seconds=${2:-30}
connections=${3:-16}
binary=${TIANPING:-.build-release/release/tianping}
port=${BENCH_PORT:-8098}
work=$(mktemp -d)
"$binary" serve --demo --database "$database" --port "$port" --escalation-interval 0 --audit-interval 0 > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do grep -q "天平已启动" "$work/serve.log" 2>/dev/null && break; kill -0 $server; sleep 1; done
user="bench-$(date +%s)"
password=$("$binary" user add "$user" --database "$database" --agency 520000ZF01 --role committee_supervisor | sed -n 's/^初始密码（只显示这一次）：//p')
base="http://127.0.0.1:$port"
curl -s -c "$work/cookies" -o /dev/null "$base/login"
csrf=$(awk '/tianping_login_csrf/ {print $7}' "$work/cookies")
curl -s -b "$work/cookies" -c "$work/cookies" -o /dev/null --data-urlencode "username=$user" --data-urlencode "password=$password" \
  --data-urlencode "_csrf=$csrf" --data-urlencode "next=/workbench" "$base/login"
session=$(awk '/tianping_session/ {print $7}' "$work/cookies")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
cookie="Cookie: tianping_session=$session"
# The first overview computes every grouped count (then it is cached per scope for 30 s): timed on its own.
cold=$(curl -s -o /dev/null -w "%{time_total}" -H "$cookie" "$base/workbench")
total=$(curl -s -H "$cookie" "$base/api/v1/warnings?pageSize=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
cases=$(curl -s -o - -H "$cookie" "$base/workbench" | python3 -c 'import re,sys; print(re.search(r"<span class=\"n\">(\d+)</span>案件", sys.stdin.read()).group(1))')
pages=${BENCH_PAGES:-overview list list-filtered list-city search search-name search-id notice-pdf}
city=$(sqlite3 "$database" "SELECT substr(region, 1, 4) || '00' FROM warnings GROUP BY substr(region, 1, 4) ORDER BY count(*) DESC LIMIT 1" 2>/dev/null || echo 520100)
number=$(sqlite3 "$database" "SELECT case_number FROM cases WHERE case_number IS NOT NULL LIMIT 1 OFFSET 1000" 2>/dev/null || true)
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$number")
person=$(sqlite3 "$database" "SELECT json_extract(body, '$.payload.name') || ' ' || json_extract(body, '$.payload.idNumber') FROM records WHERE kind = 'person' AND json_extract(body, '$.payload.role') = 'suspect' LIMIT 1 OFFSET 1000" 2>/dev/null || true)
encoded_name=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1].split(" ")[0]))' "$person")
encoded_id=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1].split(" ")[-1]))' "$person")
push_ms=null
case " $pages " in *" search-name "*|*" search-id "*) [ -n "$person" ] || { echo "no suspect found in $database for search-name/search-id" >&2; exit 1; } ;; esac
: > "$work/paths"
for page in $pages; do
  case $page in
    overview) path=/workbench ;;
    list) path=/workbench/warnings ;;
    list-filtered) path="/workbench/warnings?state=pending_push&grade=red&sort=due&page=3" ;;
    list-city) path="/workbench/warnings?region=$city&grade=red" ;;
    search) path="/workbench/search?q=$encoded" ;;
    search-name) path="/workbench/search?q=$encoded_name" ;;
    search-id) path="/workbench/search?q=$encoded_id" ;;
    notice-pdf)
      # Push one pending warning through the API (as the workbench's button does), then serve the file it kept.
      csrf=$(curl -s -H "$cookie" "$base/workbench/warnings" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
      id=$(curl -s -H "$cookie" "$base/api/v1/warnings?state=pending_push&pageSize=1" | python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.load(sys.stdin)["items"][0]["id"], safe=""))')
      push_ms=$(curl -s -o /dev/null -w "%{time_total}" -H "$cookie" -H "X-CSRF-Token: $csrf" -H "Content-Type: application/json" \
        --data '{"action":"push","comment":"基准测试推送"}' "$base/api/v1/warnings/$id/transitions" | python3 -c 'import sys; print(round(float(sys.stdin.read()) * 1000, 1))')
      path="/workbench/warnings/$id/notice.pdf" ;;
    me) path=/api/v1/me ;;
    *) echo "unknown page $page" >&2; exit 1 ;;
  esac
  echo "$page $path" >> "$work/paths"
  curl -s -o /dev/null -w "%{http_code}" -H "$cookie" "$base$path" | grep -qE "200|303" || { echo "$path did not answer 200 or 303" >&2; exit 1; }
  wrk -t 2 -c "$connections" -d "${seconds}s" --latency -H "$cookie" "$base$path" > "$work/wrk-$page.txt"
done
[ -n "${user:-}" ] && "$binary" user disable "$user" --database "$database" > /dev/null
python3 - "$work" "$cold" "$total" "$cases" "$seconds" "$connections" "$push_ms" <<'PY'
import json, os, platform, re, subprocess, sys
work, cold, total, cases, seconds, connections, push_ms = sys.argv[1:]
def ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)
result = {"benchmark": "workbench", "cases": int(cases), "warnings": int(total), "seconds": int(seconds),
    "connections": int(connections), "coldOverviewMs": round(float(cold) * 1000, 1), "processors": os.cpu_count(),
    "machine": platform.processor() or platform.machine(), "pushWithNoticeMs": json.loads(push_ms), "pages": {}}
paths = dict(line.split(" ", 1) for line in open(os.path.join(work, "paths")).read().splitlines())
for page, path in paths.items():
    text = open(os.path.join(work, f"wrk-{page}.txt")).read()
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    result["pages"][page] = {"path": path, "requests": requests, "requestsPerSecond": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p50Ms": ms(pct["50"]), "p90Ms": ms(pct["90"]), "p99Ms": ms(pct["99"]), "non2xx": int(errors.group(1)) if errors else 0}
print(json.dumps(result, ensure_ascii=False, indent=2))
PY
