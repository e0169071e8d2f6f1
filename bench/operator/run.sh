#!/usr/bin/env bash
# The operator benchmark: `bootsource run` with StorageClasses/StorageProfiles over 50 drivers.
#   bench/operator/run.sh [storageClasses=2000] [steadySeconds=60]              on the fabric8 mock server
#   bench/operator/run.sh --real-api [storageClasses=2000] [steadySeconds=60]   on the real API server
#     (scripts/realapi.sh; started here when KUBECONFIG is not given), the jar as built, with the JVM
#     options of deploy/bootsource.yaml unless OPERATOR_JAVA_OPTS says otherwise, and the image's
#     class-data-sharing archive (made by scripts/cds-archive.sh, as the Containerfile does; CDS=off
#     leaves it out).
# Results: docs/benchmarks/operator.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
real=0
if [ "${1:-}" = --real-api ]; then real=1; shift; fi
mvn -q -B test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
if [ $real = 0 ]; then
  exec java -Xmx1g -cp "$CP" dev.bootsource.operator.bench.OperatorBenchmark "$@"
fi
[ -f target/bootsource.jar ] && [ -z "$(find src/main pom.xml -newer target/bootsource.jar -print -quit)" ] \
  || mvn -q -B package -DskipTests
if [ -z "${KUBECONFIG:-}" ]; then
  eval "$(scripts/realapi.sh start)"
  trap 'scripts/realapi.sh stop' EXIT
fi
# The JVM options the Deployment gives the operator (JAVA_TOOL_OPTIONS in deploy/bootsource.yaml, the chart with its defaults).
if [ -z "${OPERATOR_JAVA_OPTS+set}" ]; then
  OPERATOR_JAVA_OPTS=$(awk '/name: JAVA_TOOL_OPTIONS/{getline; sub(/.*value: */, ""); gsub(/"/, ""); print; exit}' deploy/bootsource.yaml)
fi
# The image's entry point maps its CDS archive; so does the benchmark, with an archive made the same way.
if [ "${CDS:-on}" != off ]; then
  [ -f target/bootsource.jsa ] && [ target/bootsource.jsa -nt target/bootsource.jar ] \
    || scripts/cds-archive.sh target/bootsource.jar target/bootsource.jsa
  OPERATOR_JAVA_OPTS="$OPERATOR_JAVA_OPTS -XX:SharedArchiveFile=target/bootsource.jsa -Xshare:auto"
fi
export OPERATOR_JAVA_OPTS MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}   # as the Deployment sets it
java -Xmx512m -cp "$CP" dev.bootsource.operator.bench.RealApiOperatorBenchmark "$@"
