#!/usr/bin/env bash
# The operator benchmark: `bootsource run` against the fabric8 mock API server seeded with
# StorageClasses/StorageProfiles over 50 drivers. Arguments: [storageClasses=2000] [steadySeconds=60].
# Results: docs/benchmarks/operator.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    dev.bootsource.operator.bench.OperatorBenchmark "$@"
