#!/bin/bash
# HTTP throughput of :predict on the example half_plus_two model versus a
# static-JSON nginx returning the same body (the ceiling for a tiny model).
# Usage: bench/http.sh [BUILD_DIR] [DURATION_S] [CONNECTIONS] [ROUNDS]
#   BUILD_DIR defaults to build/serve; needs its simple_tensorflow_serving and
#   example_models/models.config. Needs wrk and nginx (Debian wrk, nginx-light).
# Server and nginx run on core 0, wrk on core 1 (taskset) when there are >= 2
# cores; both servers use one I/O thread / worker. Runs ROUNDS (default 3)
# interleaved nginx/server pairs and prints each pair's req/s and ratio, then
# the median ratio (a shared VM's throughput drifts; pairs cancel most of it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/serve}
DURATION=${2:-10}
CONNS=${3:-32}
ROUNDS=${4:-3}
SERVER=$BUILD/src/server/simple_tensorflow_serving
CONFIG=$BUILD/example_models/models.config
SERVER_PORT=${SERVER_PORT:-18571}
NGINX_PORT=${NGINX_PORT:-18572}
for f in "$SERVER" "$CONFIG"; do [ -e "$f" ] || { echo "missing $f" >&2; exit 1; }; done
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx not installed (apt-get install nginx-light)" >&2; exit 1; }

TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

SRV_CPU=(); WRK_CPU=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  SRV_CPU=(taskset -c 0); WRK_CPU=(taskset -c 1)
fi

BODY='{"instances": [[1.0]]}'
"${SRV_CPU[@]}" "$SERVER" --host=127.0.0.1 --port="$SERVER_PORT" --num_threads=1 \
  --model_config_file="$CONFIG" --log_level=warning >"$TMP/server.log" 2>&1 &
PIDS+=($!)
URL=http://127.0.0.1:$SERVER_PORT/v1/models/half_plus_two:predict
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$SERVER_PORT/health && break; sleep 0.1; done
RESPONSE=$(curl -sf -H 'Content-Type: application/json' -d "$BODY" "$URL")
echo "server answers: $RESPONSE"

mkdir -p "$TMP/nginx"
sed -e "s#@PREFIX@#$TMP/nginx#g" -e "s#@PORT@#$NGINX_PORT#g" -e "s#@BODY@#$RESPONSE#g" \
  "$ROOT/bench/nginx/nginx.conf.in" >"$TMP/nginx/nginx.conf"
"${SRV_CPU[@]}" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
PIDS+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null -d "$BODY" http://127.0.0.1:$NGINX_PORT/ && break; sleep 0.1; done
[ "$(curl -sf -d "$BODY" http://127.0.0.1:$NGINX_PORT/)" = "$RESPONSE" ] || { echo "nginx did not start" >&2; exit 1; }

cat >"$TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
LUA

run() {  # run URL NAME -> prints req/s; keeps wrk's output in $TMP/NAME.out
  "${WRK_CPU[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" -s "$TMP/post.lua" "$1" >"$TMP/$2.out"
  awk '/Requests\/sec/ {print $2}' "$TMP/$2.out"
}
detail() { grep -E "Latency|Non-2xx|Socket errors" "$TMP/$1.out" | sed "s/^/  /" || true; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; wrk -t1 -c$CONNS -d${DURATION}s, $ROUNDS rounds"
RATIOS=()
for round in $(seq "$ROUNDS"); do
  NGINX_RPS=$(run http://127.0.0.1:$NGINX_PORT/ nginx)
  SERVER_RPS=$(run "$URL" server)
  RATIO=$(awk -v s="$SERVER_RPS" -v n="$NGINX_RPS" 'BEGIN { printf "%.2f", s / n }')
  RATIOS+=("$RATIO")
  echo "round $round: nginx static JSON $NGINX_RPS req/s, half_plus_two :predict $SERVER_RPS req/s, ratio $RATIO"
  detail nginx; detail server
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
MEDIAN=$(printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median ratio server/nginx: $MEDIAN (target >= 0.70)"
