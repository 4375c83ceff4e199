#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest target of the api-service and the worker-service for SECONDS each,
# one target after another (Jazzer fuzzes one target per JVM). A finding (crash, hang past the
# target's @Timeout, out-of-memory) stops that target and is written into its inputs directory
# under src/test/resources, where `./mvnw verify` replays it from then on. Per target the log
# goes to bench/target/fuzz/<Class>#<method>.log; a summary line per target (wall and CPU
# seconds, libFuzzer's executions, outcome) is printed and kept in bench/target/fuzz/summary.tsv.
# Usage: bench/scripts/fuzz.sh [SECONDS_PER_TARGET=300] [TARGET_REGEX=.]   e.g. fuzz.sh 600 'tiff|svg'
# The fuzzing JVMs run at nice FUZZ_NICE (19 unless set; Maven's short build before each at the
# caller's priority, so a loaded machine does not starve the build while the fuzzing yields).
set -uo pipefail
seconds="${1:-300}"
only="${2:-.}"
cd "$(dirname "$0")/../.."
out=bench/target/fuzz
mkdir -p "$out"
summary="$out/summary.tsv"
# surefire forks the test JVM through this, at low priority (surefire wants a path ending in bin/java)
mkdir -p "$out/nice/bin"
cat > "$out/nice/bin/java" <<WRAPPER
#!/bin/sh
exec nice -n ${FUZZ_NICE:-19} "$(command -v java)" "\$@"
WRAPPER
chmod +x "$out/nice/bin/java"
[ -f "$summary" ] || printf 'target\tseconds\twall_s\tcpu_s\texecutions\toutcome\n' > "$summary"

# Class#method for each @FuzzTest of a module, read from the test sources
targets() {
  local file class
  for file in $(grep -rl '@FuzzTest' --include='*FuzzTest.java' "$1/src/test/java"); do
    class="$(basename "$file" .java)"
    grep -A3 '@FuzzTest' "$file" | sed -n 's/^\s*void \([A-Za-z0-9_]*\)(.*/\1/p' | sed "s/^/$class#/"
  done
}

# Settings records with annotated components, which Jazzer 0.24's data-flow instrumentation
# corrupts (NoSuchFieldError in the record's constructor, fuzzing mode only); no parsing in them.
# Jazzer's list separator is ':'.
UNINSTRUMENTED='dev.intake.api.submission.upload.UploadProperties:dev.intake.api.staging.StagingProperties'

failed=0
for module in api-service worker-service; do
  for target in $(targets "$module" | grep -E "$only"); do
    log="$out/$target.log"
    echo "$(date -u +%H:%M:%S) fuzzing $target for ${seconds}s"
    # test-compile with -am: the module and what it depends on from this tree, not from ~/.m2.
    # The annotation's maxDuration is the default; a later -max_total_time given to libFuzzer wins.
    # JUnit's own timeout is off so that the @Timeout applies per input (libFuzzer's -timeout) only.
    JAZZER_FUZZ=1 /usr/bin/time -f 'TIME wall=%e user=%U sys=%S' -o "$out/$target.time" \
      ./mvnw -B -o -pl "$module" -am test-compile surefire:test@fuzz-regression -Denforcer.skip=true \
        -Djvm="$PWD/$out/nice/bin/java" \
        -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djunit.jupiter.execution.timeout.mode=disabled \
        -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="-max_total_time=$seconds" \
        -Djazzer.instrumentation_excludes="$UNINSTRUMENTED" \
        -Dsurefire.redirectTestOutputToFile=false > "$log" 2>&1
    rc=$?
    wall=$(sed -n 's/^TIME wall=\([0-9.]*\).*/\1/p' "$out/$target.time")
    cpu=$(sed -n 's/^TIME wall=[0-9.]* user=\([0-9.]*\) sys=\([0-9.]*\)/\1 \2/p' "$out/$target.time" \
      | awk '{ printf "%.0f", $1 + $2 }')
    # libFuzzer's own count at the end, or its last status line when a finding stopped it
    execs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | awk '{ print $2 }')
    [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    if [ $rc -eq 0 ]; then
      outcome=clean
    else
      outcome="FINDING (see $log)"
      failed=1
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$seconds" "$wall" "$cpu" "${execs:-?}" "$outcome" | tee -a "$summary"
  done
done
exit $failed
