#!/usr/bin/env bash
# Decompression bombs one at a time through the worker's inspector: `write DIR` stores every bomb
# of the memory proof in DIR (with a large heap: the complete bombs are drawn in memory), `probe DIR`
# inspects each file of DIR alone at -Xmx256m and prints its outcome and heap peak.
# Usage: bench/scripts/bomb-probe.sh write|probe DIR
set -euo pipefail
dir="$(realpath -m "$2")"
cd "$(dirname "$0")/../.."
# one reactor build: the modules' jars under their target/, the class path of the bench module beside them
./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bomb-probe.classpath
cd bench
heap=$([ "$1" = write ] && echo -Xmx3g || echo -Xmx256m)
java "$heap" -cp "target/classes:$(cat target/bomb-probe.classpath)" dev.intake.bench.memory.BombProbe "$1" "$dir"
