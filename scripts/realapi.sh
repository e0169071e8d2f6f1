#!/usr/bin/env bash
# BootSource's real Kubernetes API server for benchmarks and live tests: the upstream
# apiextensions-apiserver built offline from Debian's packages by ../shared/realapi (beside the clone),
# backed by etcd, with the CDI and snapshot CRDs applied.
#
#   scripts/realapi.sh build            build the server once into $B (cached; ~8 min cold on 2 cores)
#   scripts/realapi.sh start            build if needed, start on a fresh etcd, apply the CRDs, print `export KUBECONFIG=...`
#   scripts/realapi.sh stop | status | env
#
# Environment (all optional):
#   B           build folder, kept between runs   (default: $HOME/.cache/bootsource-realapi)
#   REALAPI     the shared scripts                 (default: ../shared/realapi beside the clone)
#   STATE_DIR   pki, etcd data, logs, kubeconfig   (default: ${TMPDIR:-/tmp}/bootsource-realapi)
#   API_PORT    https://127.0.0.1:$API_PORT        (default: 26443)
#   ETCD_PORT   etcd client port (+10 for peers)   (default: 27790)
#   FRESH       1 = wipe etcd on start             (default: 1)
#   SVC_HOSTS   "<svc>.<ns>.svc ..." names the server resolves to 127.0.0.1 (needs root), for webhook configs
#               with a service reference
# Needs: etcd (apt-get install etcd-server), kubectl, curl, openssl; Go comes from the build's own packages.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export B=${B:-$HOME/.cache/bootsource-realapi}
REALAPI=${REALAPI:-$(cd "$ROOT/.." && pwd)/shared/realapi}
export STATE_DIR=${STATE_DIR:-${TMPDIR:-/tmp}/bootsource-realapi}
export API_PORT=${API_PORT:-26443}
export ETCD_PORT=${ETCD_PORT:-27790}
export FRESH=${FRESH:-1}
export APISERVER_BIN=$B/bin/apiextensions-apiserver

log() { echo "[realapi] $*" >&2; }

[ -x "$REALAPI/start-apiserver.sh" ] || { log "missing $REALAPI (set REALAPI=...)"; exit 1; }

# The build is reused while the shared scripts and patches it came from are unchanged.
source_stamp() {
  cat "$REALAPI/setup.sh" "$REALAPI/build.sh" "$REALAPI"/patches/* | sha256sum | cut -d' ' -f1
}

build() {
  local stamp; stamp=$(source_stamp)
  if [ -x "$APISERVER_BIN" ] && [ "$(cat "$B/.bootsource-stamp" 2>/dev/null)" = "$stamp" ]; then
    log "cached: $APISERVER_BIN"
    return 0
  fi
  mkdir -p "$B"
  log "building the API server into $B (cold: several minutes)"
  local started=$SECONDS
  "$REALAPI/setup.sh" >&2      # downloads only what is not in $B yet, re-applies the patches, builds
  echo "$stamp" > "$B/.bootsource-stamp"
  log "built in $((SECONDS - started)) s"
}

start() {
  command -v "${ETCD_BIN:-etcd}" >/dev/null || [ -x "${ETCD_BIN:-/usr/bin/etcd}" ] \
    || { log "etcd is missing: apt-get install -y etcd-server"; exit 1; }
  build
  "$REALAPI/start-apiserver.sh" start >/dev/null
  KUBECONFIG=$STATE_DIR/kubeconfig kubectl apply -f "$REALAPI/test/crds.yaml" >/dev/null
  KUBECONFIG=$STATE_DIR/kubeconfig kubectl wait --for=condition=Established --timeout=60s \
    -f "$REALAPI/test/crds.yaml" >/dev/null
  log "ready: https://127.0.0.1:$API_PORT (state in $STATE_DIR)"
  echo "export KUBECONFIG=$STATE_DIR/kubeconfig"
}

case "${1:-start}" in
  build) build ;;
  start) start ;;
  stop) "$REALAPI/start-apiserver.sh" stop ;;
  status) "$REALAPI/start-apiserver.sh" status ;;
  env) echo "export KUBECONFIG=$STATE_DIR/kubeconfig" ;;
  *) echo "usage: $0 build|start|stop|status|env" >&2; exit 2 ;;
esac
