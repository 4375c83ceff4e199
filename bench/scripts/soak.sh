#!/usr/bin/env bash
# The soak: the broker with S3Proxy, status, api and two workers each in its own process (the
# launcher's INTAKE_PART), a steady mix of multipart, Base64, URL (a loopback origin) and ZIP
# batches of 20 items with one hostile file each (5 %), worker 2 restarted every RESTART_EVERY
# minutes (SIGTERM; the third restart, or the last of fewer, SIGKILL); heap after GC, open file
# descriptors and RSS of each process sampled every minute. Checks at the end: every accepted
# item in exactly one final state (the one its file calls for), heap after GC and descriptors of
# each service first vs last 5 minutes within +10 %, no staged object older than its window.
# Exits non-zero when a check fails. Logs, samples.tsv and soak-report.md under bench/target/soak-*/.
# Usage: bench/scripts/soak.sh [MINUTES=30] [RESTART_EVERY=5]
#   SOAK_BATCH_SECONDS (6): one batch this often; SOAK_MAX_PENDING (10): unfinished batches before
#   the next submit waits; SOAK_WARMUP_MINUTES (2): load before the first sample; SOAK_STATUS_RECORD_CACHE
#   (1MB): the status-service's record cache, full after the warm-up (empty: its own 16MB, which fills
#   for about an hour at this pace), and with it the memory for finished batches' answers at 256KB
#   (full after the warm-up as well). Heap histograms of status, api and worker 1 at the first sample and
#   when the load stops: histogram-*.txt, compared in the report.   (needs ~3 GB of memory and a few GB of disk)
set -euo pipefail
cd "$(dirname "$0")/../.."
# one reactor build: the modules' jars under their target/, the class path of the bench module beside them
./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/soak.classpath
cd bench
java -Xmx1g -cp "target/classes:$(cat target/soak.classpath)" dev.intake.bench.SoakRun "$@"
