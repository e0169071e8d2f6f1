#!/usr/bin/env bash
# Makes BootSource's class-data-sharing (CDS) archive: the classes `bootsource run` and `plan` load,
# parsed and laid out once, then mapped at every start instead of read from the jar.
#
#   scripts/cds-archive.sh JAR ARCHIVE [EXAMPLES_DIR]
#
# The image build runs it (Containerfile) and so does the operator benchmark (bench/operator/run.sh), so
# both measure the same thing. Use the archive with the same java and the same jar path:
#   java -XX:SharedArchiveFile=ARCHIVE -jar JAR run ...
#
# Two training runs, no cluster needed:
#   1. `plan -o json` over each bundled example: the policy, the models, YAML and JSON binding;
#   2. `run` for a few seconds against its own webhook port as the "API server": the Kubernetes client,
#      its TLS handshake with BootSource's own HTTPS server, the informers (which get 404s and wait),
#      metrics, the health server and the operator's start-up. It is stopped with SIGTERM, so the
#      shutdown path is covered too.
# The class lists of both are merged and dumped into one static archive.
#
# Environment: JAVA (default: java on PATH), TRAIN_SECONDS (default: 8), PORT (default: 18443).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 JAR ARCHIVE [EXAMPLES_DIR]" >&2; exit 2; }
JAR=$1
ARCHIVE=$2
EXAMPLES=${3:-$(cd "$(dirname "$0")/.." && pwd)/examples}
JAVA=${JAVA:-java}
TRAIN_SECONDS=${TRAIN_SECONDS:-8}
PORT=${PORT:-18443}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n=0
for example in "$EXAMPLES"/*/; do
  n=$((n + 1))
  "$JAVA" -Xshare:off -XX:DumpLoadedClassList="$work/plan-$n.classes" -jar "$JAR" plan -o json \
    "$example"*.yaml > /dev/null 2>&1
done

cat > "$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: training, cluster: {server: "https://127.0.0.1:$PORT", insecure-skip-tls-verify: true}}]
users: [{name: training, user: {token: training}}]
contexts: [{name: training, context: {cluster: training, user: training, namespace: bootsource}}]
current-context: training
EOF
"$JAVA" -Xshare:off -XX:DumpLoadedClassList="$work/run.classes" -jar "$JAR" run \
  --kubeconfig="$work/kubeconfig" --no-leader-election --webhook-port="$PORT" --metrics-port=0 \
  > "$work/run.log" 2>&1 &
pid=$!
sleep "$TRAIN_SECONDS"
kill -TERM "$pid"
wait "$pid" || true
grep -q "admission webhook serving" "$work/run.log" \
  || { echo "cds-archive: the training run did not start its webhook:" >&2; tail -20 "$work/run.log" >&2; exit 1; }

# In load order (a lambda proxy is listed after the classes it needs), each class once.
awk '!seen[$0]++' "$work/run.classes" "$work"/plan-*.classes > "$work/all.classes"
"$JAVA" -Xshare:dump -XX:SharedClassListFile="$work/all.classes" -XX:SharedArchiveFile="$ARCHIVE" \
  -cp "$JAR" > "$work/dump.log" 2>&1 \
  || { echo "cds-archive: dumping the archive failed:" >&2; tail -20 "$work/dump.log" >&2; exit 1; }
echo "cds-archive: $ARCHIVE ($(wc -l < "$work/all.classes") classes listed, $(du -m "$ARCHIVE" | cut -f1) MiB)" >&2
