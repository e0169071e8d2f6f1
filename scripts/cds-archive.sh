#!/usr/bin/env bash
# Makes BootSource's class-data-sharing archive: the classes `bootsource run` loads (and, on JDK 17,
# `plan`), parsed and laid out once, then mapped at every start instead of read from the jar. On JDK 25
# and later it is the JDK's ahead-of-time (AOT) cache, which also keeps the classes linked and the
# method profiles of the training run.
#
#   scripts/cds-archive.sh JAR ARCHIVE [EXAMPLES_DIR]
#
# The image build runs it (Containerfile) and so does the operator benchmark (bench/operator/run.sh), so
# both measure the same thing. Use the archive with the same java, the same jar path and the same
# JAVA_TOOL_OPTIONS (the Deployment's: give them to this script too):
#   java -XX:SharedArchiveFile=ARCHIVE -Xshare:auto -jar JAR run ...    (JDK 17 to 24)
#   java -XX:AOTCache=ARCHIVE -jar JAR run ...                          (JDK 25 and later)
# `scripts/cds-archive.sh --flags ARCHIVE` prints the right option for $JAVA.
#
# Training runs, no cluster needed:
#   1. (JDK 17 to 24) `plan -o json` over each bundled example: the policy, the models, YAML and JSON binding;
#   2. `run` for a few seconds against its own webhook port as the "API server": the Kubernetes client,
#      its TLS handshake with BootSource's own HTTPS server, the informers (which get 404s and wait),
#      metrics, the health server and the operator's start-up. It is stopped with SIGTERM, so the
#      shutdown path is covered too.
# On JDK 17 to 24 the class lists of both are merged and dumped into one static archive; on JDK 25 and
# later the `run` training run writes the AOT cache when it exits.
#
# Environment: JAVA (default: java on PATH), TRAIN_SECONDS (default: 8), PORT (default: 18443).
set -euo pipefail
JAVA=${JAVA:-java}
# The feature version of $JAVA (17, 21, 25, ...).
java_feature() {
  "$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
if [ "${1:-}" = --flags ]; then
  [ $# -eq 2 ] || { echo "usage: $0 --flags ARCHIVE" >&2; exit 2; }
  if [ "$(java_feature)" -ge 25 ]; then echo "-XX:AOTCache=$2"; else echo "-XX:SharedArchiveFile=$2 -Xshare:auto"; fi
  exit 0
fi
[ $# -ge 2 ] || { echo "usage: $0 JAR ARCHIVE [EXAMPLES_DIR] | $0 --flags ARCHIVE" >&2; exit 2; }
JAR=$1
ARCHIVE=$2
EXAMPLES=${3:-$(cd "$(dirname "$0")/.." && pwd)/examples}
TRAIN_SECONDS=${TRAIN_SECONDS:-8}
PORT=${PORT:-18443}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
aot=0
[ "$(java_feature)" -ge 25 ] && aot=1

n=0
if [ $aot = 0 ]; then
  for example in "$EXAMPLES"/*/; do
    n=$((n + 1))
    "$JAVA" -Xshare:off -XX:DumpLoadedClassList="$work/plan-$n.classes" -jar "$JAR" plan -o json \
      "$example"*.yaml > /dev/null 2>&1
  done
fi

cat > "$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: training, cluster: {server: "https://127.0.0.1:$PORT", insecure-skip-tls-verify: true}}]
users: [{name: training, user: {token: training}}]
contexts: [{name: training, context: {cluster: training, user: training, namespace: bootsource}}]
current-context: training
EOF
if [ $aot = 1 ]; then
  rm -f "$ARCHIVE"
  training=(-XX:AOTCacheOutput="$ARCHIVE")
else
  training=(-Xshare:off -XX:DumpLoadedClassList="$work/run.classes")
fi
"$JAVA" "${training[@]}" -jar "$JAR" run \
  --kubeconfig="$work/kubeconfig" --no-leader-election --webhook-port="$PORT" --metrics-port=0 \
  > "$work/run.log" 2>&1 &
pid=$!
sleep "$TRAIN_SECONDS"
kill -TERM "$pid"
wait "$pid" || true
grep -q "admission webhook serving" "$work/run.log" \
  || { echo "cds-archive: the training run did not start its webhook:" >&2; tail -20 "$work/run.log" >&2; exit 1; }
if [ $aot = 1 ]; then
  [ -s "$ARCHIVE" ] || { echo "cds-archive: the training run wrote no AOT cache:" >&2; tail -20 "$work/run.log" >&2; exit 1; }
  echo "cds-archive: $ARCHIVE (AOT cache, $(du -m "$ARCHIVE" | cut -f1) MiB)" >&2
  exit 0
fi

# In load order (a lambda proxy is listed after the classes it needs), each class once.
awk '!seen[$0]++' "$work/run.classes" "$work"/plan-*.classes > "$work/all.classes"
"$JAVA" -Xshare:dump -XX:SharedClassListFile="$work/all.classes" -XX:SharedArchiveFile="$ARCHIVE" \
  -cp "$JAR" > "$work/dump.log" 2>&1 \
  || { echo "cds-archive: dumping the archive failed:" >&2; tail -20 "$work/dump.log" >&2; exit 1; }
echo "cds-archive: $ARCHIVE ($(wc -l < "$work/all.classes") classes listed, $(du -m "$ARCHIVE" | cut -f1) MiB)" >&2
