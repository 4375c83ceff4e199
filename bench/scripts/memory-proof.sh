#!/usr/bin/env bash
# Memory proof of the worker: a real KRaft broker and S3Proxy (filesystem, under bench/target/)
# in one JVM, the worker in a child JVM with -Xmx256m -XX:+ExitOnOutOfMemoryError; a batch of
# COUNT ~10 MB images and a batch made only of decompression bombs (BOMB_ROUNDS x every kind) go
# through intake.jobs; the worker's peak heap and the result codes are printed per batch.
# Usage: bench/scripts/memory-proof.sh [COUNT=300] [BOMB_ROUNDS=5]   (needs ~7 GB free disk, several minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
# one reactor build: the modules' jars under their target/, the class path of the bench module beside them
./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/memory-proof.classpath
cd bench
java -Xmx3g -cp "target/classes:$(cat target/memory-proof.classpath)" \
  dev.intake.bench.memory.MemoryProofRun "$@" 2>&1 | grep --line-buffered -v '^\[worker\] .*\(DEBUG\|INFO\)' | grep --line-buffered -v '^[0-9:. -]*\(INFO\|DEBUG\)'
