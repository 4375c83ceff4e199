#!/usr/bin/env bash
# Starts Intake exactly as the README's first command does (`./mvnw -pl local -am spring-boot:run`),
# on its embedded default, and checks what a new user does first: the console page loads, a
# two-image batch is submitted with the default token and succeeds, its image URL serves the bytes,
# and stopping it (SIGTERM to its process group, as Ctrl-C signals the group) ends everything.
# This catches what the test suite cannot see because it runs on the test classpath: a launcher
# that does not start on its own runtime classpath.
#
# Data goes to a fresh temporary directory (INTAKE_DATA_DIR), never ./data. Ports are the README's
# defaults unless INTAKE_PORT etc. are set. Extra Maven options: MVN_OPTS (e.g. "-o -q").
set -euo pipefail
cd "$(dirname "$0")/.."

port="${INTAKE_PORT:-8080}"
base="http://127.0.0.1:$port"
token="${INTAKE_API_TOKEN:-local-dev-token}"
work="$(mktemp -d)"
log="$work/intake.log"
export INTAKE_DATA_DIR="$work/data"
pid=""

stop() {
	if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM -- "-$pid" 2>/dev/null || true
		for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
}
fail() {
	echo "readme start: FAILED: $*" >&2
	echo "---- last lines of $log" >&2
	tail -n 60 "$log" >&2 || true
	stop
	exit 1
}
trap stop EXIT

# shellcheck disable=SC2086
setsid ./mvnw -B -ntp ${MVN_OPTS:-} -pl local -am spring-boot:run >"$log" 2>&1 &
pid=$!
echo "readme start: ./mvnw -pl local -am spring-boot:run (pid $pid, log $log)"

for _ in $(seq 1 600); do
	grep -q "Intake is ready" "$log" && break
	kill -0 "$pid" 2>/dev/null || fail "the process ended before it was ready"
	sleep 1
done
grep -q "Intake is ready" "$log" || fail "not ready after 10 minutes"
echo "readme start: ready"

curl -fsS "$base/" | grep -qi "<html" || fail "the console page at / did not load"

python3 - "$work" <<'EOF'
import struct, sys, zlib
def png(path, w, h, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)
png(sys.argv[1] + "/a.png", 64, 48, (200, 30, 30))
png(sys.argv[1] + "/b.png", 30, 20, (30, 30, 200))
EOF

batch="readme-smoke-$(date +%s)"
answer="$(curl -sS -H "Authorization: Bearer $token" -F "files=@$work/a.png" -F "files=@$work/b.png" \
	-F "batch_id=$batch" "$base/v1/batch-upload/submit-with-files")"
echo "$answer" | grep -q '"code":200' || fail "submit answered: $answer"

status=""
for _ in $(seq 1 120); do
	status="$(curl -sS -H "Authorization: Bearer $token" "$base/v1/batch-upload/status/$batch")"
	state="$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("data", {}).get("status", ""))' || true)"
	[[ "$state" == TASK_PENDING || "$state" == TASK_PROCESSING ]] || break
	sleep 1
done
echo "$status" | grep -q '"success_count":2' || fail "the batch did not succeed: $status"
url="$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["results"][0]["image_url"])')"
bytes="$(curl -fsS "$url" | wc -c)"
[[ "$bytes" == "$(wc -c <"$work/a.png")" ]] || fail "$url served $bytes bytes"
echo "readme start: batch $batch succeeded, $url serves the image"

# Ctrl-C in a terminal signals the whole process group: Maven and the application it forked. A
# script's background job ignores SIGINT, so SIGTERM stands in for it (the JVMs shut down the same way).
kill -TERM -- "-$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
kill -0 "$pid" 2>/dev/null && fail "still running 60 s after it was told to stop"
pid=""
rm -rf "$work"
echo "readme start: passed"
