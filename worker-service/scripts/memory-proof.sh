#!/usr/bin/env bash
# Memory proof of the worker: a real KRaft broker and S3Proxy (filesystem, under target/)
# in one JVM, the worker in a child JVM with -Xmx256m -XX:+ExitOnOutOfMemoryError; a batch of
# COUNT ~10 MB images and a batch made only of decompression bombs (BOMB_ROUNDS x every kind) go
# through intake.jobs; the worker's peak heap and the result codes are printed per batch.
# Usage: worker-service/scripts/memory-proof.sh [COUNT=300] [BOMB_ROUNDS=5]   (needs ~7 GB free disk, several minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o -pl worker-service -am install -DskipTests
./mvnw -B -q -o -pl worker-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/memory-proof.classpath
cd worker-service
# a snapshot of the classes, so a rebuild while the proof runs does not change what it loads
rm -rf target/memory-proof-classes && mkdir -p target/memory-proof-classes
cp -r target/classes target/memory-proof-classes/main && cp -r target/test-classes target/memory-proof-classes/test
java -Xmx3g -cp "target/memory-proof-classes/test:target/memory-proof-classes/main:$(cat target/memory-proof.classpath)" \
  dev.intake.worker.MemoryProofRun "$@" 2>&1 | grep --line-buffered -v '^\[worker\] .*\(DEBUG\|INFO\)' | grep --line-buffered -v '^[0-9:. -]*\(INFO\|DEBUG\)'
