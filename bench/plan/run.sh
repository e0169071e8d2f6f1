#!/usr/bin/env bash
# The plan benchmark: `bootsource plan` over N StorageClasses of one CSI driver (bench/plan/generate.py),
# timed (wall and CPU: on a busy machine CPU time is the steadier figure) with its peak resident memory. Arguments: sizes (default: 1000 10000). JAR=... picks the jar
# (default target/bootsource.jar; built when missing); ORDER=kubectl writes the List's items before its kind, as kubectl
# does. Results: docs/benchmarks/plan.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-target/bootsource.jar}
[ -f "$JAR" ] || mvn -q -B package -DskipTests
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| StorageClasses | wall time | CPU time (user+sys) | peak RSS | profiles changed |"
echo "|---|---|---|---|---|"
for n in "${@:-1000 10000}"; do
  for size in $n; do
    python3 bench/plan/generate.py "$size" ${ORDER:-} > "$work/cluster-$size.yaml"
    if ! /usr/bin/time -f "%e %U %S %M" -o "$work/time" java ${JAVA_OPTS:-} -jar "$JAR" plan "$work/cluster-$size.yaml" \
        > "$work/plan.txt" 2> "$work/stderr.txt"; then
      cat "$work/stderr.txt" >&2
      exit 1
    fi
    read -r seconds user sys kib < "$work/time"
    cpu=$(echo "$user + $sys" | bc)
    summary=$(grep '^Summary:' "$work/plan.txt" | sed -E 's/Summary: ([0-9]+ of [0-9]+).*/\1/')
    printf '| %s | %s s | %s s | %d MiB | %s |\n' "$size" "$seconds" "$cpu" $((kib / 1024)) "$summary"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
