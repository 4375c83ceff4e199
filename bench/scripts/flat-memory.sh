#!/usr/bin/env bash
# Flat-memory measurement of the api-service: S3Proxy (filesystem, under bench/target/) in this JVM,
# the api-service in a child JVM with -Xmx256m and a publisher that drops the batches (no Kafka),
# one multipart submit and one Base64 JSON submit of COUNT x SIZE_MB images, peak heap printed.
# Usage: bench/scripts/flat-memory.sh [COUNT=300] [SIZE_MB=10] [MODES=multipart,base64]   (needs ~4 GB free disk, a few minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
# one reactor build: the modules' jars under their target/, the class path of the bench module beside them
./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/flat-memory.classpath
cd bench
java -cp "target/classes:$(cat target/flat-memory.classpath)" dev.intake.bench.memory.FlatMemoryRun "$@" \
  | grep -v '^\[api\] .*\(DEBUG\|INFO\)'
