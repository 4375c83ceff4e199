#!/usr/bin/env bash
# The compose stack end to end, from nothing, on a Debian machine without a container registry:
#
#  1. a Docker engine: installs docker.io, docker-compose and debootstrap with apt-get when
#     missing, and starts its own dockerd (socket, data-root and exec-root under $SMOKE_DIR; no
#     systemd) unless DOCKER_HOST already answers;
#  2. images nobody can pull here, built locally under the names docker-compose.yml uses:
#     debian:bookworm (debootstrap from the machine's own Debian mirror, `docker import`),
#     eclipse-temurin:17-jdk/-jre (Debian's OpenJDK on it), the Kafka image (Kafka's jars from Maven
#     Central, configured from the environment like the official image) and the S3 server image
#     (S3Proxy from Maven Central). Each stand-in is rebuilt only when its recipe changed;
#  3. `compose build` (the services from the root Dockerfile, the proxy and the bucket set-up);
#  4. the bucket set-up against the stand-in S3 server with lifecycle rules required: it must fail
#     loudly (S3Proxy has none); the stack then runs with S3_LIFECYCLE=off;
#  5. the stack with 2 api-service, 2 status-service and 3 worker-service replicas behind the proxy;
#  6. a 300-image multipart batch through the proxy; mid-batch one worker and the status replica
#     that owns the batch are killed (SIGKILL); the batch must end with 300 succeeded, 0 failed, every item's stored
#     bytes equal to the file sent; the killed replicas are started again;
#  7. a URL batch whose origin is a container on a network the workers are attached to;
#  8. both status replicas answer every batch with the same counts; both api replicas served;
#     each service's management port serves its metrics without a credential;
#  9. everything torn down (containers, volumes, networks; the engine if this script started it).
#
# Exit 0: passed; 1: a check failed; 77: this machine cannot run containers (no root, no engine).
# Environment: SMOKE_DIR (/tmp/intake-smoke: engine state and caches, kept for the next run),
# SMOKE_PORT (18080), SMOKE_KEEP=1 (leave the stack up), DEBIAN_MIRROR (from /etc/apt/sources*).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SMOKE_DIR=${SMOKE_DIR:-/tmp/intake-smoke}
PORT=${SMOKE_PORT:-18080}
PROJECT=intake-smoke
ORIGIN_NET=intake-smoke-origins
ORIGIN=intake-smoke-origin
TOKEN=local-dev-token
INTERNAL_TOKEN=smoke-internal-$RANDOM$RANDOM
STARTED=$(date +%s)
PASSED=0
FAILED=0
FAILURE=
OWN_DOCKERD=
STACK_UP=

log() { printf '[smoke %4ds] %s\n' "$(($(date +%s) - STARTED))" "$*"; }
pass() { PASSED=$((PASSED + 1)); log "PASS $*"; }
fail() { FAILED=$((FAILED + 1)); FAILURE="$*"; log "FAIL $*"; exit 1; }
skip() { log "SKIPPED: $*"; exit 77; }

mkdir -p "$SMOKE_DIR"

# ---------------------------------------------------------------- 1. engine
install_engine() {
	local need=()
	command -v dockerd > /dev/null || need+=(docker.io)
	command -v docker-compose > /dev/null || docker compose version > /dev/null 2>&1 || need+=(docker-compose)
	command -v debootstrap > /dev/null || need+=(debootstrap)
	command -v curl > /dev/null || need+=(curl)
	((${#need[@]} == 0)) && return 0
	[[ $(id -u) == 0 ]] || skip "needs ${need[*]} and is not root"
	command -v apt-get > /dev/null || skip "needs ${need[*]} and has no apt-get"
	log "installing ${need[*]}"
	apt-get update -qq > "$SMOKE_DIR/apt.log" 2>&1 || { tail "$SMOKE_DIR/apt.log"; skip "apt-get update failed"; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >> "$SMOKE_DIR/apt.log" 2>&1 \
		|| { tail "$SMOKE_DIR/apt.log"; skip "apt-get install ${need[*]} failed"; }
}

start_engine() {
	if [[ -n "${DOCKER_HOST:-}" ]] && docker info > /dev/null 2>&1; then
		log "engine: using the one at DOCKER_HOST=$DOCKER_HOST"
		return
	fi
	export DOCKER_HOST="unix://$SMOKE_DIR/docker.sock"
	if docker info > /dev/null 2>&1; then
		log "engine: using the one left at $DOCKER_HOST"
		return
	fi
	[[ $(id -u) == 0 ]] || skip "starting dockerd needs root"
	log "engine: starting dockerd (socket, data-root and exec-root under $SMOKE_DIR)"
	mkdir -p "$SMOKE_DIR/data" "$SMOKE_DIR/exec"
	rm -f "$SMOKE_DIR/docker.sock"
	dockerd --host "$DOCKER_HOST" --data-root "$SMOKE_DIR/data" --exec-root "$SMOKE_DIR/exec" \
		--pidfile "$SMOKE_DIR/dockerd.pid" > "$SMOKE_DIR/dockerd.log" 2>&1 &
	OWN_DOCKERD=$!
	for _ in $(seq 60); do
		docker info > /dev/null 2>&1 && break
		kill -0 "$OWN_DOCKERD" 2> /dev/null || { tail -5 "$SMOKE_DIR/dockerd.log"; skip "dockerd exited at start"; }
		sleep 1
	done
	docker info > /dev/null 2>&1 || { tail -5 "$SMOKE_DIR/dockerd.log"; skip "dockerd did not answer within 60 s"; }
}

stop_engine() {
	[[ -n "$OWN_DOCKERD" ]] || return 0
	log "engine: stopping the dockerd this script started (pid $OWN_DOCKERD)"
	kill "$OWN_DOCKERD" 2> /dev/null || true
	for _ in $(seq 30); do kill -0 "$OWN_DOCKERD" 2> /dev/null || return 0; sleep 1; done
	kill -9 "$OWN_DOCKERD" 2> /dev/null || true
}

compose() {
	local files=(-f "$ROOT/docker-compose.yml")
	[[ -f "$SMOKE_DIR/compose.smoke.yml" ]] && files+=(-f "$SMOKE_DIR/compose.smoke.yml")
	if docker compose version > /dev/null 2>&1; then
		docker compose -p "$PROJECT" "${files[@]}" "$@"
	else
		docker-compose -p "$PROJECT" "${files[@]}" "$@"
	fi
}

teardown() {
	local rc=$?
	set +e
	if [[ -n "$STACK_UP" && "${SMOKE_KEEP:-0}" != 1 ]]; then
		if ((rc != 0 && rc != 77)); then
			# the whole log stays in $SMOKE_DIR; what is printed is each service's warnings and errors
			compose logs --no-color --timestamps > "$SMOKE_DIR/stack.log" 2>&1
			log "warnings and errors of the stack follow (whole log: $SMOKE_DIR/stack.log)"
			grep -E ' (WARN|ERROR) |Exception|FATAL' "$SMOKE_DIR/stack.log" | cut -c1-400 | tail -n 150
		fi
		log "teardown: compose down -v, origin container and network"
		compose down -v --remove-orphans > "$SMOKE_DIR/down.log" 2>&1 || tail "$SMOKE_DIR/down.log"
		docker rm -f "$ORIGIN" > /dev/null 2>&1
		docker network rm "$ORIGIN_NET" > /dev/null 2>&1
	fi
	stop_engine
	log "run time: $(($(date +%s) - STARTED)) s"
	if ((rc == 77)); then
		echo "compose-smoke: skipped"
	else
		((rc == 0)) || FAILED=$((FAILED > 0 ? FAILED : 1))
		echo "compose-smoke: $PASSED passed, $FAILED failed${FAILURE:+: $FAILURE}"
	fi
	exit "$rc"
}
trap teardown EXIT
trap "exit 143" TERM INT

export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
install_engine
command -v python3 > /dev/null || skip "python3 is needed to check the answers"

# ---------------------------------------------------------------- 2. base and stand-in images
debian_mirror() {
	[[ -n "${DEBIAN_MIRROR:-}" ]] && { echo "$DEBIAN_MIRROR"; return; }
	local uri
	uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2> /dev/null \
		| sed -n -e 's/^deb \(\[[^]]*\] \)\{0,1\}\(https\{0,1\}:[^ ]*\) .*/\2/p' -e 's/^URIs: *\(https\{0,1\}:[^ ]*\).*/\1/p' \
		| grep -v -e security -e nodesource -e google | grep debian | head -1)
	echo "${uri:-http://deb.debian.org/debian}"
}

# $1 image, $2 recipe directory, $3 optional function that fills the build context's libs/;
# the image is rebuilt only when the recipe, the image's name (its version) or the base changed
standin() {
	local image=$1 dir=$2 collect=${3:-} hash ctx
	hash=$( (echo "$image"; cd "$dir" && find . -type f | sort | xargs sha256sum; docker image inspect -f '{{.Id}}' debian:bookworm) | sha256sum | cut -c1-16)
	if [[ $(docker image inspect -f '{{index .Config.Labels "intake.standin"}}' "$image" 2> /dev/null) == "$hash" ]]; then
		log "stand-in $image: up to date"
		return
	fi
	log "stand-in $image: building from ${dir#"$ROOT"/}"
	ctx=$(mktemp -d "$SMOKE_DIR/ctx.XXXXXX")
	cp -r "$dir/." "$ctx/"
	[[ -z "$collect" ]] || "$collect" "$image" "$ctx/libs" > "$SMOKE_DIR/jars.log" 2>&1 \
		|| { tail "$SMOKE_DIR/jars.log"; fail "the jars of stand-in $image could not be resolved"; }
	docker build -q --label "intake.standin=$hash" -t "$image" "$ctx" > "$SMOKE_DIR/build-standin.log" 2>&1 \
		|| { tail -20 "$SMOKE_DIR/build-standin.log"; fail "stand-in $image did not build"; }
	rm -rf "$ctx"
}

# Kafka's own jars of the image's version, from Maven Central
kafka_jars() {
	(cd "$ROOT" && ./mvnw -B -ntp -q -f scripts/standins/kafka/pom.xml dependency:copy-dependencies \
		-Dkafka.version="${1##*:}" -DincludeScope=runtime -DoutputDirectory="$2")
}

# S3Proxy from Maven Central with the versions the tests run it with (the root POM's S3Proxy and
# Spring Boot versions)
s3proxy_jars() {
	local version boot
	version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$ROOT/pom.xml")
	boot=$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml")
	(cd "$ROOT" && ./mvnw -B -ntp -q -f scripts/standins/s3/pom.xml dependency:copy-dependencies \
		-Ds3proxy.version="$version" -Dspring-boot.version="$boot" -DincludeScope=runtime -DoutputDirectory="$2")
}

start_engine

if ! docker image inspect debian:bookworm > /dev/null 2>&1; then
	rootfs="$SMOKE_DIR/rootfs"
	if [[ ! -f "$rootfs/.complete" ]]; then
		mirror=$(debian_mirror)
		log "base: debootstrap --variant=minbase bookworm from $mirror"
		rm -rf "$rootfs"
		debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$SMOKE_DIR/debootstrap.log" 2>&1 \
			|| { tail "$SMOKE_DIR/debootstrap.log"; fail "debootstrap failed"; }
		# the machine's own extra CAs (a TLS-inspecting egress re-signs Maven Central's certificate)
		mkdir -p "$rootfs/usr/local/share/ca-certificates"
		cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2> /dev/null || true
		touch "$rootfs/.complete"
	fi
	tar -C "$rootfs" --exclude=./.complete -c . | docker import - debian:bookworm > /dev/null
	log "base: debian:bookworm imported"
fi

rm -f "$SMOKE_DIR/compose.smoke.yml"
config=$(compose config 2> /dev/null || true)
image_of() { # the image: line of service $1 in the normalised config
	awk -v svc="  $1:" '$0 == svc {in_svc = 1; next} in_svc && /^  [^ ]/ {in_svc = 0} in_svc && /^    image:/ {print $2; exit}' <<< "$config"
}
kafka_image=$(image_of kafka)
s3_image=$(image_of s3)
[[ -n "$kafka_image" && -n "$s3_image" ]] || fail "cannot read the kafka and s3 images from docker-compose.yml"

standin eclipse-temurin:17-jre "$ROOT/scripts/standins/jre"
standin eclipse-temurin:17-jdk "$ROOT/scripts/standins/jdk"
standin "$kafka_image" "$ROOT/scripts/standins/kafka" kafka_jars
standin "$s3_image" "$ROOT/scripts/standins/s3" s3proxy_jars

# ---------------------------------------------------------------- 3. the stack's own images
docker rm -f "$ORIGIN" > /dev/null 2>&1 || true
docker network rm "$ORIGIN_NET" > /dev/null 2>&1 || true
docker network create "$ORIGIN_NET" > /dev/null
origin_subnet=$(docker network inspect -f '{{(index .IPAM.Config 0).Subnet}}' "$ORIGIN_NET")
cat > "$SMOKE_DIR/compose.smoke.yml" <<EOF
# written by scripts/compose-smoke.sh: the workers also join the network of the test's image origin
services:
  worker-service:
    networks: [default, origins]
networks:
  origins:
    external: true
    name: $ORIGIN_NET
EOF
export INTAKE_PORT=$PORT INTAKE_BIND=127.0.0.1 INTAKE_PUBLIC_BASE_URL="http://127.0.0.1:$PORT/i/" \
	INTAKE_INTERNAL_TOKEN=$INTERNAL_TOKEN INTAKE_FETCH_ALLOWED_NETWORKS=$origin_subnet S3_LIFECYCLE=off \
	INTAKE_WORKER_SESSION_TIMEOUT_MS=10000 INTAKE_STATUS_SESSION_TIMEOUT_MS=10000 INTAKE_IMAGE_TAG=smoke
compose config -q || fail "compose config"
pass "compose config (docker-compose.yml with the smoke test's override)"
STACK_UP=1
log "building the stack's images (services from the root Dockerfile, proxy, bucket set-up)"
build_start=$(date +%s)
compose build > "$SMOKE_DIR/build.log" 2>&1 || { tail -40 "$SMOKE_DIR/build.log"; fail "compose build"; }
log "images built in $(($(date +%s) - build_start)) s"

# ---------------------------------------------------------------- 4. bucket set-up fails loudly
compose up -d s3 > /dev/null 2>&1 || fail "the S3 server did not start"
if out=$(compose run --rm -e S3_LIFECYCLE=required s3-init 2>&1); then
	fail "the bucket set-up claimed lifecycle rules on a server without them: $out"
fi
grep -q 's3-init: FAILED: the server refused the lifecycle rule' <<< "$out" \
	|| fail "the bucket set-up failed without saying why: $out"
pass "bucket set-up with S3_LIFECYCLE=required fails loudly on S3Proxy: $(grep 'FAILED' <<< "$out" | head -1 | cut -c1-110)"

# ---------------------------------------------------------------- 5. the stack, scaled
log "starting 2 api-service, 2 status-service, 3 worker-service replicas and the proxy"
up_start=$(date +%s)
compose up -d --scale api-service=2 --scale status-service=2 --scale worker-service=3 > "$SMOKE_DIR/up.log" 2>&1 \
	|| { tail -30 "$SMOKE_DIR/up.log"; fail "compose up"; }
containers() { docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1" | sort; }
healthy_count() {
	local n=0 id
	for id in $(containers "$1"); do
		[[ $(docker inspect -f '{{.State.Health.Status}}' "$id") == healthy ]] && n=$((n + 1))
	done
	echo "$n"
}
wait_healthy() { # $1 service, $2 replicas, $3 seconds
	local deadline=$(($(date +%s) + $3))
	while (($(healthy_count "$1") < $2)); do
		(($(date +%s) < deadline)) || fail "$1: $(healthy_count "$1") of $2 replicas healthy after $3 s"
		sleep 2
	done
}
wait_healthy status-service 2 300
wait_healthy worker-service 3 300
wait_healthy api-service 2 300
wait_healthy proxy 1 60
log "stack healthy $(($(date +%s) - up_start)) s after up"
for svc in kafka s3 status-service worker-service api-service proxy; do
	log "replicas: $svc=$(containers "$svc" | wc -l) (healthy or no health check: $(
		n=0; for id in $(containers "$svc"); do s=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}running{{end}}' "$id"); [[ $s == healthy || $s == running ]] && n=$((n + 1)); done; echo $n))"
done
[[ $(containers api-service | wc -l) == 2 && $(containers status-service | wc -l) == 2 && $(containers worker-service | wc -l) == 3 ]] \
	|| fail "replica counts"
status_hosts=$(for id in $(containers status-service); do docker logs "$id" 2>&1 | sed -n 's/^entrypoint: advertising \([^ ]*\) .*/\1/p' | head -1; done | sort -u | wc -l)
((status_hosts == 2)) || fail "the status replicas do not advertise two distinct hosts"
pass "replicas: api-service=2, status-service=2 (2 distinct advertised hosts), worker-service=3, all healthy"

# ---------------------------------------------------------------- test data and the image origin
data="$SMOKE_DIR/data-$$"
rm -rf "$data"
mkdir -p "$data/files" "$data/origin/u"
python3 - "$data" <<'PY'
import struct, sys, zlib, hashlib, json, os
root = sys.argv[1]
def png(seed, w, h):
    rows = b''.join(b'\x00' + bytes(((x * 7 + y * 13 + seed * 31 + c * 17) & 0xFF) for x in range(w) for c in range(3)) for y in range(h))
    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xFFFFFFFF)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')
manifest = {'files': [], 'urls': []}
for i in range(300):
    b = png(i, 24 + i % 17, 16 + i % 11)
    name = f'img-{i:03d}.png'
    open(os.path.join(root, 'files', name), 'wb').write(b)
    manifest['files'].append({'name': name, 'sha256': hashlib.sha256(b).hexdigest(), 'width': 24 + i % 17, 'height': 16 + i % 11})
for i in range(20):
    b = png(1000 + i, 40 + i, 30)
    name = f'remote-{i:02d}.png'
    open(os.path.join(root, 'origin', 'u', name), 'wb').write(b)
    manifest['urls'].append({'name': name, 'sha256': hashlib.sha256(b).hexdigest()})
json.dump(manifest, open(os.path.join(root, 'manifest.json'), 'w'))
PY
cat > "$data/origin/nginx.conf" <<'EOF'
pid /tmp/origin.pid;
error_log stderr warn;
events {}
http {
    access_log off;
    types { image/png png; }
    server { listen 80; root /srv; }
}
EOF
docker run -d --name "$ORIGIN" --network "$ORIGIN_NET" --network-alias origin --user root \
	-v "$data/origin:/srv:ro" --entrypoint nginx "intake/proxy:smoke" -c /srv/nginx.conf -g 'daemon off;' > /dev/null \
	|| fail "the image origin did not start"
log "image origin: container $ORIGIN on $ORIGIN_NET ($origin_subnet, allowed to the workers), 20 PNGs"

# ---------------------------------------------------------------- helpers: HTTP through the proxy
BASE="http://127.0.0.1:$PORT"
status_of() { curl -sS -m 20 -H "Authorization: Bearer $TOKEN" "$BASE/v1/batch-upload/status/$1"; }
counts() { python3 -c 'import json,sys
try:
    d = json.load(sys.stdin)["data"]; print(d["status"], d["processed_count"], d["success_count"], d["failed_count"], d["total_count"])
except Exception:
    print("? 0 0 0 0")'; }
wait_done() { # $1 batch, $2 seconds; prints the final answer
	local deadline=$(($(date +%s) + $2)) answer
	while :; do
		answer=$(status_of "$1" || true)
		[[ $(counts <<< "$answer") == TASK_SUCCEEDED* ]] && { echo "$answer"; return 0; }
		(($(date +%s) < deadline)) || { echo "$answer"; return 1; }
		sleep 1
	done
}
check_items() { # $1 answer json, $2 manifest key (files|urls); checks every item and its stored bytes
	printf '%s' "$1" > "$data/answer.json"
	python3 - "$data/manifest.json" "$2" "$BASE" "$data/answer.json" <<'PY'
import hashlib, json, sys, urllib.request
import time, urllib.error
def fetch(url):
    # an original not yet in the api's cache is looked up in the content index; while a killed
    # status replica's partitions move, that answers 503 with Retry-After: a client retries
    deadline = time.time() + 120
    while True:
        try:
            with urllib.request.urlopen(url, timeout=20) as answer:
                return answer.read()
        except urllib.error.HTTPError as e:
            if e.code != 503 or time.time() > deadline:
                raise
            time.sleep(min(10, int(e.headers.get("Retry-After") or "1")))
manifest = json.load(open(sys.argv[1]))[sys.argv[2]]
base = sys.argv[3]
d = json.load(open(sys.argv[4]))["data"]
n = len(manifest)
assert d["total_count"] == n and d["success_count"] == n and d["failed_count"] == 0 and d["processed_count"] == n, \
    f'counts {d["total_count"]}/{d["processed_count"]}/{d["success_count"]}/{d["failed_count"]}, want {n}/{n}/{n}/0'
assert len(d["results"]) == n, f'{len(d["results"])} results'
for r in d["results"]:
    want = manifest[r["index"]]
    assert r["status"] == "TASK_SUCCEEDED", r
    assert r["image_name"] == want["name"], (r["image_name"], want["name"])
    assert r["image"]["sha256"] == want["sha256"], (r["index"], "sha256 in status")
    url = r["image_url"]
    assert url.startswith(base + "/i/"), url
    assert hashlib.sha256(fetch(url)).hexdigest() == want["sha256"], (r["index"], "stored bytes")
print(f"{n} items: TASK_SUCCEEDED, sha256 in status and of the bytes served at image_url equal to what was sent")
PY
}

# ---------------------------------------------------------------- 6. 300 images; kills mid-batch
FILES_BATCH=smoke-files-$(date +%s)
args=()
for f in "$data"/files/*.png; do args+=(-F "files=@$f;type=image/png"); done

# the status replica to kill: the one that owns the batch, found from the partition of its key
# (Kafka's murmur2 of "local/<batch>") and the group's assignment; else the first replica. It is
# found before the batch is sent: asking the broker's tool takes tens of seconds, in which the
# batch could finish before the kill
owner_of() { # $1 batch id; prints the container id of the status replica owning it, or nothing
	local partitions partition assignment host id
	partitions=${INTAKE_BATCH_PARTITIONS:-6}
	partition=$(python3 - "local/$1" "$partitions" <<'PY'
import sys
data, n = sys.argv[1].encode(), int(sys.argv[2])
m, h = 0x5bd1e995, (0x9747b28c ^ len(data)) & 0xFFFFFFFF
for i in range(len(data) // 4):
    k = int.from_bytes(data[4 * i:4 * i + 4], 'little')
    k = (k * m) & 0xFFFFFFFF
    k ^= k >> 24
    k = (k * m) & 0xFFFFFFFF
    h = ((h * m) & 0xFFFFFFFF) ^ k
tail, rest = len(data) & ~3, len(data) % 4
if rest == 3: h ^= data[tail + 2] << 16
if rest >= 2: h ^= data[tail + 1] << 8
if rest >= 1: h = ((h ^ data[tail]) * m) & 0xFFFFFFFF
h ^= h >> 13
h = (h * m) & 0xFFFFFFFF
h ^= h >> 15
print((h & 0x7FFFFFFF) % n)
PY
)
	assignment=$(docker exec "$(containers kafka | head -1)" /opt/kafka/bin/kafka-consumer-groups.sh \
		--bootstrap-server localhost:9092 --describe --group intake-status 2> /dev/null) || return 0
	host=$(awk -v p="$partition" '$2 == "intake.batches" && $3 == p {print $8}' <<< "$assignment" | tr -d /)
	[[ -n "$host" ]] || return 0
	for id in $(containers status-service); do
		docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$id" | grep -qw "$host" && echo "$id" && return 0
	done
}
victim_worker=$(containers worker-service | head -1)
victim_status=$(owner_of "$FILES_BATCH")
victim_role="the owner of the batch's partition"
if [[ -z "$victim_status" ]]; then
	victim_status=$(containers status-service | head -1)
	victim_role="owner not found, the first replica"
fi
log "submitting $FILES_BATCH: 300 PNGs in one multipart request through the proxy"
submit=$(curl -sS -m 300 -H "Authorization: Bearer $TOKEN" -F "batch_id=$FILES_BATCH" "${args[@]}" \
	"$BASE/v1/batch-upload/submit-with-files") || fail "submit: curl failed"
grep -q '"code":200' <<< "$submit" || fail "submit answered $submit"
pass "300-image batch accepted: $(cut -c1-120 <<< "$submit")"
processed=0
kill_deadline=$(($(date +%s) + 120))
while :; do
	read -r state processed _ <<< "$(status_of "$FILES_BATCH" | counts)"
	((processed >= 20)) && break
	[[ $state == TASK_SUCCEEDED ]] && break
	(($(date +%s) < kill_deadline)) || fail "no progress on $FILES_BATCH within 120 s ($state $processed)"
	sleep 0.3
done
((processed < 300)) || fail "the batch finished before the kill (processed $processed); nothing was tested"
docker update --restart=no "$victim_worker" "$victim_status" > /dev/null
docker kill -s KILL "$victim_worker" "$victim_status" > /dev/null
log "KILL (SIGKILL) worker $(docker inspect -f '{{.Name}}' "$victim_worker" | cut -c2-) and status $(docker inspect -f '{{.Name}}' "$victim_status" | cut -c2-) ($victim_role) at $processed/300 processed"
running_workers=$(containers worker-service | wc -l)
running_status=$(containers status-service | wc -l)
log "after the kill: worker-service=$running_workers running, status-service=$running_status running"
((running_workers == 2 && running_status == 1)) || fail "the kill left $running_workers workers and $running_status status replicas"
answer=$(wait_done "$FILES_BATCH" 420) || fail "$FILES_BATCH did not finish within 420 s of the kill: $(counts <<< "$answer")"
log "$FILES_BATCH: $(counts <<< "$answer") (status processed success failed total) with one worker and one status replica killed"
result=$(check_items "$answer" files) || fail "$FILES_BATCH items: $result"
pass "$FILES_BATCH after the kills: $result"

docker update --restart=unless-stopped "$victim_worker" "$victim_status" > /dev/null
docker start "$victim_worker" "$victim_status" > /dev/null
log "started the killed worker and status replicas again"
wait_healthy status-service 2 240
wait_healthy worker-service 3 240
pass "all replicas healthy again: status-service=$(healthy_count status-service), worker-service=$(healthy_count worker-service)"

# ---------------------------------------------------------------- 7. URL batch
URL_BATCH=smoke-urls-$(date +%s)
body=$(python3 - "$data/manifest.json" "$URL_BATCH" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["urls"]
print(json.dumps({"batch_id": sys.argv[2], "items": [{"type": "url", "url": f"http://origin/u/{u['name']}", "image_name": u["name"]} for u in m]}))
PY
)
submit=$(curl -sS -m 60 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$body" \
	"$BASE/v1/batch-upload/submit") || fail "URL submit: curl failed"
grep -q '"code":200' <<< "$submit" || fail "URL submit answered $submit"
answer=$(wait_done "$URL_BATCH" 180) || fail "$URL_BATCH did not finish: $(cut -c1-400 <<< "$answer")"
result=$(check_items "$answer" urls) || fail "$URL_BATCH items: $result $(cut -c1-600 <<< "$answer")"
pass "$URL_BATCH (20 URLs on http://origin/): $result"

# ---------------------------------------------------------------- 8. every status replica answers every batch
internal_get() { # $1 container, $2 path: the status replica's own port, from inside it
	docker exec "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8081 && printf "GET %s HTTP/1.0\r\nX-Intake-Internal-Token: %s\r\n\r\n" "$0" "$1" >&3 && timeout 20 cat <&3' \
		"$2" "$INTERNAL_TOKEN" | sed '1,/^\r\{0,1\}$/d'
}
for batch in "$FILES_BATCH" "$URL_BATCH"; do
	for id in $(containers status-service); do
		got=""
		for _ in $(seq 30); do
			got=$(internal_get "$id" "/internal/batches/local/$batch" | counts)
			[[ $got == TASK_SUCCEEDED* ]] && break
			sleep 1
		done
		want=$(counts <<< "$(status_of "$batch")")
		[[ $got == TASK_SUCCEEDED* && $got == "$want" ]] || fail "status replica $id answers '$got' for $batch, want '$want'"
		log "status replica $(docker inspect -f '{{.Name}}' "$id" | cut -c2-) answers $batch: $got"
	done
done
pass "both status replicas answer both batches with the same counts"

# ---------------------------------------------------------------- 8b. metrics on the management ports
management_get() { # $1 container, $2 port, $3 path: no credential, from inside the container
	docker exec "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/$0 && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && timeout 20 cat <&3' \
		"$2" "$3" | sed '1,/^\r\{0,1\}$/d'
}
for check in "api-service 8090 intake_items_accepted_total" "worker-service 8092 intake_items_stored_total" \
	"status-service 8091 intake_consumer_lag"; do
	read -r svc mport metric <<< "$check"
	found=0
	for id in $(containers "$svc"); do
		scrape=$(management_get "$id" "$mport" /actuator/prometheus || true)
		grep -q "^$metric" <<< "$scrape" && found=1 && break
	done
	((found == 1)) || fail "$svc: no $metric on the management port $mport"
done
pass "metrics on the management ports without a credential (api 8090, worker 8092, status 8091)"

upstreams=$(compose logs --no-color proxy 2> /dev/null | sed -n 's/.*"POST \/v1\/batch-upload\/submit[^"]*" 200 .*upstream=\([^ ]*\).*/\1/p; s/.*"GET \/v1\/batch-upload\/status[^"]*" 200 .*upstream=\([^ ]*\).*/\1/p' | sort | uniq -c)
log "api replicas that answered through the proxy (requests, address): $(tr -s ' \n' ' ' <<< "$upstreams")"
(($(wc -l <<< "$upstreams") >= 2)) || fail "only one api-service replica answered through the proxy"
pass "requests through the proxy reached both api-service replicas"
rm -rf "$data"
log "all checks passed"
