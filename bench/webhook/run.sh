#!/usr/bin/env bash
# Benchmark of the admission webhook over TLS keep-alive on this machine:
#   1. latency at a fixed 1,000 requests/s (FixedRateLoad.java, open model, 30 s)
#   2. saturation throughput and its latency (wrk, 2 threads, 16 connections, 20 s)
# against `bootsource webhook` over a GKE Hyperdisk cluster state, with the AdmissionReview requests a
# real API server sent (one DataVolume, one VolumeSnapshot, alternating; both get patched).
# Usage: bench/webhook/run.sh
#   env: PORT, RATE, RATE_SECONDS, SATURATION_SECONDS, CONNECTIONS, and JAVA_OPTS for the server JVM
#   (e.g. JAVA_OPTS=-Xlog:gc to see its pauses), REALTIME=1 on a machine other work is using (as root):
#   during the fixed-rate phase the server and its load generator run at the lowest real-time priority
#   (SCHED_RR 1), so that work does not preempt them; they use about a third of the 2 cores there, so
#   the rest still runs. On an idle machine it changes nothing. The saturation phase always runs at
#   normal priority: at real-time priority it would starve everything else.
set -euo pipefail

cd "$(dirname "$0")/../.."
PORT=${PORT:-18443}
RATE=${RATE:-1000}
RATE_SECONDS=${RATE_SECONDS:-30}
SATURATION_SECONDS=${SATURATION_SECONDS:-20}
CONNECTIONS=${CONNECTIONS:-16}
REALTIME=${REALTIME:-0}
HERE=bench/webhook
REQUESTS=(src/test/resources/admission/admissionreview-datavolume-create.json
          src/test/resources/admission/admissionreview-volumesnapshot-create.json)

if ! command -v wrk >/dev/null; then
  echo "== installing wrk"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
for tool in java mvn curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

echo "== building the jar"
mvn -q -B package -DskipTests

if compgen -G "examples/gcp-hyperdisk/*.yaml" >/dev/null; then
  STATE=(examples/gcp-hyperdisk/*.yaml)
else
  STATE=(src/test/resources/admission/cluster-gcp.yaml)
fi
echo "== cluster state: ${STATE[*]}"
echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1)"

for request in "${REQUESTS[@]}"; do
  java -jar target/bootsource.jar admit --cluster "${STATE[@]}" --request "$request" 2>&1 >/dev/null | sed 's/^/   /'
done

LOG=$(mktemp /tmp/bootsource-webhook-bench.XXXXXX.log)
echo "== other work on the machine: load average $(cut -d' ' -f1-3 /proc/loadavg)"
java ${JAVA_OPTS:-} -jar target/bootsource.jar webhook --cluster "${STATE[@]}" --port "$PORT" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -skf "https://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.5
done
curl -skf "https://127.0.0.1:$PORT/healthz" >/dev/null || { echo "server did not start:"; cat "$LOG"; exit 1; }
URL="https://127.0.0.1:$PORT/mutate?timeout=5s"

echo "== warm-up (15 s, not reported)"
wrk -t2 -c8 -d15s -s "$HERE/post.lua" "$URL" -- "${REQUESTS[@]}" >/dev/null

echo "== fixed rate: $RATE requests/s for $RATE_SECONDS s (after 10 s at that rate, not counted)"
PRIORITY=()
if [ "$REALTIME" = 1 ]; then
  echo "   (server and load generator at real-time priority SCHED_RR 1 for this phase)"
  chrt -a -r -p 1 "$SERVER" >/dev/null
  PRIORITY=(chrt -r 1)
fi
"${PRIORITY[@]}" java "$HERE/FixedRateLoad.java" "$URL" "$RATE" "$RATE_SECONDS" 10 "${REQUESTS[@]}" \
  || echo "   (the fixed-rate run had errors)"
[ "$REALTIME" = 1 ] && chrt -a -o -p 0 "$SERVER" >/dev/null

echo "== saturation: wrk -t2 -c$CONNECTIONS -d${SATURATION_SECONDS}s"
wrk -t2 -c"$CONNECTIONS" -d"${SATURATION_SECONDS}s" --latency -s "$HERE/post.lua" "$URL" -- "${REQUESTS[@]}"

echo "== server log: $LOG ($(grep -c 'level=WARN\|level=ERROR' "$LOG" || true) warnings/errors)"
