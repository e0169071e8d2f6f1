#!/usr/bin/env bash
# The operator benchmark: `bootsource run` with StorageClasses/StorageProfiles over 50 drivers.
#   bench/operator/run.sh [storageClasses=2000] [steadySeconds=60]              on the fabric8 mock server
#   bench/operator/run.sh --real-api [storageClasses=2000] [steadySeconds=60]   on the real API server
#     (scripts/realapi.sh; started here when KUBECONFIG is not given), the jar as built, on the image's
#     JDK 25 (JAVA=... to choose another), with the JVM options of deploy/bootsource.yaml unless
#     OPERATOR_JAVA_OPTS says otherwise, and the image's AOT cache (made by scripts/cds-archive.sh, as
#     the Containerfile does; a CDS archive on an older JDK; CDS=off leaves it out).
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
# The image's runtime is JDK 25 (Containerfile); the operator runs on the benchmark's own java, so that is
# JAVA when given, else a JDK 25 or later installed beside the default one, else java on PATH (said so).
feature() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
if [ -z "${JAVA:-}" ]; then
  JAVA=java
  if [ "$(feature java)" -lt 25 ]; then
    for candidate in /usr/lib/jvm/*/bin/java; do
      if [ -x "$candidate" ] && [ "$(feature "$candidate")" -ge 25 ]; then JAVA=$candidate; break; fi
    done
  fi
fi
[ "$(feature "$JAVA")" -ge 25 ] || echo "bench: $JAVA is older than the image's JDK 25; start-up figures will differ" >&2
export JAVA
# The image's entry point maps its archive (an AOT cache on JDK 25); so does the benchmark, with one made
# the same way, by a training run with the Deployment's JVM options.
if [ "${CDS:-on}" != off ]; then
  archive=target/bootsource.jsa
  [ "$(feature "$JAVA")" -lt 25 ] || archive=target/bootsource.aot
  # Made again when the jar is newer or the JVM options differ from those it was made with.
  if ! { [ -f "$archive" ] && [ "$archive" -nt target/bootsource.jar ] \
         && [ "$(cat "$archive.options" 2>/dev/null)" = "$OPERATOR_JAVA_OPTS" ]; }; then
    JAVA_TOOL_OPTIONS="$OPERATOR_JAVA_OPTS" scripts/cds-archive.sh target/bootsource.jar "$archive"
    printf '%s' "$OPERATOR_JAVA_OPTS" > "$archive.options"
  fi
  OPERATOR_JAVA_OPTS="$OPERATOR_JAVA_OPTS $(scripts/cds-archive.sh --flags "$archive")"
fi
export OPERATOR_JAVA_OPTS MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}   # as the Deployment sets it
"$JAVA" -Xmx512m -cp "$CP" dev.bootsource.operator.bench.RealApiOperatorBenchmark "$@"
