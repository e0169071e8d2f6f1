#!/usr/bin/env bash
# Benchmark of the admission webhook over TLS keep-alive on this machine, with wrk, against a ceiling:
# nginx answering a static AdmissionReview response over TLS keep-alive, measured in the same run.
#   1. latency at 4 connections       (wrk -t2 -c4,    LATENCY_SECONDS)
#   2. saturation at 32 connections   (wrk -t2 -c32,   SATURATION_SECONDS)
#   3. 1,000 connections              (wrk -t2 -c1000, CROWD_SECONDS)
# for each server in turn: `bootsource webhook` (this tree), nginx, and optionally an older jar
# (BEFORE_JAR=path/to/bootsource.jar) to compare with. Requests: the AdmissionReviews a real API server
# sent (one DataVolume, one VolumeSnapshot, alternating; both get patched), over a GKE Hyperdisk state.
# Usage: bench/webhook/run.sh
#   env: PORT (three consecutive ports are used), LATENCY_SECONDS, SATURATION_SECONDS, CROWD_SECONDS,
#   WARMUP_SECONDS, JAVA_OPTS for the webhook JVMs, BEFORE_JAR, RATE=N to add the fixed-rate phase
#   (FixedRateLoad.java, open model) at N requests/s.
set -euo pipefail

cd "$(dirname "$0")/../.."
PORT=${PORT:-18443}
LATENCY_SECONDS=${LATENCY_SECONDS:-20}
SATURATION_SECONDS=${SATURATION_SECONDS:-20}
CROWD_SECONDS=${CROWD_SECONDS:-15}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
RATE=${RATE:-0}
BEFORE_JAR=${BEFORE_JAR:-}
HERE=bench/webhook
REQUESTS=(src/test/resources/admission/admissionreview-datavolume-create.json
          src/test/resources/admission/admissionreview-volumesnapshot-create.json)

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in java mvn curl openssl; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

echo "== building the jar"
mvn -q -B package -DskipTests

if compgen -G "examples/gcp-hyperdisk/*.yaml" >/dev/null; then
  STATE=(examples/gcp-hyperdisk/*.yaml)
else
  STATE=(src/test/resources/admission/cluster-gcp.yaml)
fi
echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1), $($NGINX -v 2>&1), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"

WORK=$(mktemp -d /tmp/bootsource-webhook-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# The ceiling: nginx answering what the webhook answers for the DataVolume, from memory, over TLS 1.3
# with the same kind of key (EC P-256), keep-alive, one worker per core.
java -jar target/bootsource.jar admit --cluster "${STATE[@]}" --request "${REQUESTS[0]}" >"$WORK/answer.json" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$WORK/nginx.key" -out "$WORK/nginx.crt" 2>/dev/null
cat >"$WORK/nginx.conf" <<NGINX
worker_processes $(nproc);
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$((PORT + 1)) ssl;
    ssl_certificate $WORK/nginx.crt;
    ssl_certificate_key $WORK/nginx.key;
    ssl_protocols TLSv1.3 TLSv1.2;
    client_max_body_size 3m;
    location / {
      default_type application/json;
      return 200 '$(cat "$WORK/answer.json")';
    }
  }
}
NGINX

start_webhook() { # name jar port
  java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "$2" webhook --cluster "${STATE[@]}" --port "$3" \
    >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
wait_healthy() { # port [pid]: fails if that process has ended (e.g. the port was taken)
  for _ in $(seq 1 120); do
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
      echo "the server for port $1 has stopped:" >&2; tail -3 "$WORK"/*.log >&2; return 1
    fi
    curl -skf "https://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "server on port $1 did not start" >&2; return 1
}
summary() { # wrk output on stdin: requests/s, p50/p90/p99, errors
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
       /Socket errors/ {sock=$0} /Non-2xx/ {non2xx=$NF}
       END {printf "   req/s %s  p50 %s  p90 %s  p99 %s  non-2xx %s  %s\n", rps, p50, p90, p99, (non2xx==""?0:non2xx), (sock==""?"no socket errors":sock)}'
}
measure() { # name url
  local name=$1 url=$2
  echo "== $name: warm-up ${WARMUP_SECONDS}s (not reported)"
  wrk -t2 -c8 -d"${WARMUP_SECONDS}s" -s "$HERE/post.lua" "$url" -- "${REQUESTS[@]}" >/dev/null
  echo "== $name: 4 connections, ${LATENCY_SECONDS}s   (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t2 -c4 -d"${LATENCY_SECONDS}s" --latency -s "$HERE/post.lua" "$url" -- "${REQUESTS[@]}" | tee "$WORK/$name-c4.txt" | summary
  echo "== $name: 32 connections, ${SATURATION_SECONDS}s   (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t2 -c32 -d"${SATURATION_SECONDS}s" --latency -s "$HERE/post.lua" "$url" -- "${REQUESTS[@]}" | tee "$WORK/$name-c32.txt" | summary
  echo "== $name: 1000 connections, ${CROWD_SECONDS}s   (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t2 -c1000 -d"${CROWD_SECONDS}s" --timeout 5s --latency -s "$HERE/post.lua" "$url" -- "${REQUESTS[@]}" | tee "$WORK/$name-c1000.txt" | summary
  if [ "$RATE" -gt 0 ]; then
    echo "== $name: fixed rate $RATE requests/s, 30 s (after 10 s not counted)"
    java "$HERE/FixedRateLoad.java" "$url" "$RATE" 30 10 "${REQUESTS[@]}" || echo "   (the fixed-rate run had errors)"
  fi
}

start_webhook after target/bootsource.jar "$PORT"
wait_healthy "$PORT" "${PIDS[-1]}"
measure webhook "https://127.0.0.1:$PORT/mutate?timeout=5s"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

"$NGINX" -c "$WORK/nginx.conf" -g 'daemon on;' 2>>"$WORK/nginx-error.log"
wait_healthy $((PORT + 1))
measure nginx "https://127.0.0.1:$((PORT + 1))/mutate?timeout=5s"
kill "$(cat "$WORK/nginx.pid")"; rm -f "$WORK/nginx.pid"

if [ -n "$BEFORE_JAR" ]; then
  start_webhook before "$BEFORE_JAR" $((PORT + 2))
  wait_healthy $((PORT + 2)) "${PIDS[-1]}"
  measure before "https://127.0.0.1:$((PORT + 2))/mutate?timeout=5s"
fi

echo "== ratios to nginx (requests/s at 32 connections)"
rps() { awk '/Requests\/sec/ {print $2}' "$WORK/$1-c32.txt"; }
for name in webhook before; do
  [ -f "$WORK/$name-c32.txt" ] && awk -v a="$(rps "$name")" -v b="$(rps nginx)" -v n="$name" \
    'BEGIN {printf "   %s / nginx = %.2f\n", n, a / b}'
done
echo "== logs and raw wrk output: $WORK; webhook warnings/errors: $(grep -c 'level=WARN\|level=ERROR' "$WORK/after.log" || true)"
