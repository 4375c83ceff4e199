#!/usr/bin/env bash
# Memory of the webhook dispatcher under a dead endpoint: the embedded default in one JVM
# (-Xmx1g), one subscription whose endpoint accepts connections and never answers, COUNT events
# written to intake.events; prints events fanned out, first attempts made and the heap after GC.
# Usage: bench/scripts/webhook-memory.sh [COUNT=10000]   (a few minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/webhook-memory.classpath
cd bench
java -Xmx1g -cp "target/classes:$(cat target/webhook-memory.classpath)" \
  dev.intake.bench.webhooks.DeadEndpointMemory "$@" 2>&1 | grep --line-buffered -v '^[0-9TZ:. -]*\(INFO\|DEBUG\|WARN\)'
