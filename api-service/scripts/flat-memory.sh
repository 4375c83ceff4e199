#!/usr/bin/env bash
# Flat-memory measurement of the api-service: S3Proxy (filesystem, under target/)
# in this JVM, the api-service in a child JVM with -Xmx256m and a recording publisher (no Kafka),
# one multipart submit and one Base64 JSON submit of COUNT x SIZE_MB images, peak heap printed.
# Usage: api-service/scripts/flat-memory.sh [COUNT=300] [SIZE_MB=10] [MODES=multipart,base64]   (needs ~4 GB free disk, a few minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl api-service -am install -DskipTests
./mvnw -B -q -pl api-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/flat-memory.classpath
cd api-service
java -cp "target/test-classes:target/classes:$(cat target/flat-memory.classpath)" dev.intake.api.FlatMemoryRun "$@" \
  | grep -v '^\[api\] .*\(DEBUG\|INFO\)'
