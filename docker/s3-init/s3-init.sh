#!/bin/bash
# Bucket and lifecycle set-up of the compose stack, idempotent (runs at every `up`).
#  - waits up to S3_WAIT_SECONDS for the server, then fails;
#  - creates S3_BUCKET unless it exists;
#  - S3_LIFECYCLE=required (default): puts one rule that expires objects under staging/ after
#    S3_STAGING_EXPIRY_DAYS days and reads the configuration back; fails when the server refuses
#    it or answers something else. The rule is a backstop behind the workers' own sweeper and must
#    not cut into the retry window: staged bytes of retryable items are kept for
#    INTAKE_WORKER_SWEEPER_STAGED_MAX_AGE (7d), so the expiry must be longer than that.
#  - S3_LIFECYCLE=off: no rule (for servers without lifecycle support, such as S3Proxy); says so
#    loudly; the workers' sweeper is then the only cleanup of staging/.
set -euo pipefail
: "${S3_ENDPOINT:?}" "${S3_BUCKET:?}" "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
aws configure set default.s3.addressing_style path
s3() { aws --endpoint-url "$S3_ENDPOINT" s3api "$@"; }
fail() { echo "s3-init: FAILED: $*" >&2; exit 1; }

wait_seconds="${S3_WAIT_SECONDS:-90}"
until AWS_MAX_ATTEMPTS=1 s3 --cli-connect-timeout 3 --cli-read-timeout 10 list-buckets > /dev/null 2> /tmp/s3-init.err; do
	((SECONDS < wait_seconds)) || fail "no answer from $S3_ENDPOINT within ${wait_seconds}s: $(tail -1 /tmp/s3-init.err)"
	sleep 1
done

if s3 head-bucket --bucket "$S3_BUCKET" 2> /dev/null; then
	echo "s3-init: bucket $S3_BUCKET exists"
else
	s3 create-bucket --bucket "$S3_BUCKET" > /dev/null || fail "cannot create bucket $S3_BUCKET"
	echo "s3-init: bucket $S3_BUCKET created"
fi

mode="${S3_LIFECYCLE:-required}"
case "$mode" in
	off)
		echo "s3-init: WARNING: S3_LIFECYCLE=off, no lifecycle rule on $S3_BUCKET; staging/ is cleaned only by the workers' sweeper" >&2
		exit 0 ;;
	required) ;;
	*) fail "S3_LIFECYCLE must be 'required' or 'off', not '$mode'" ;;
esac

days="${S3_STAGING_EXPIRY_DAYS:-8}"
retry_window="${INTAKE_WORKER_SWEEPER_STAGED_MAX_AGE:-7d}"
[[ "$days" =~ ^[0-9]+$ ]] || fail "S3_STAGING_EXPIRY_DAYS must be a whole number of days, not '$days'"
[[ "$retry_window" =~ ^([0-9]+)d$ ]] || fail "cannot compare with INTAKE_WORKER_SWEEPER_STAGED_MAX_AGE='$retry_window' (write it in days, e.g. 7d)"
((days > BASH_REMATCH[1])) || fail "S3_STAGING_EXPIRY_DAYS=$days would delete staged bytes inside the ${retry_window} retry window; use more than ${BASH_REMATCH[1]}"

rules=$(printf '{"Rules":[{"ID":"intake-staging-expiry","Status":"Enabled","Filter":{"Prefix":"staging/"},"Expiration":{"Days":%d}}]}' "$days")
s3 put-bucket-lifecycle-configuration --bucket "$S3_BUCKET" --lifecycle-configuration "$rules" \
	|| fail "the server refused the lifecycle rule (expire staging/ after $days days); set S3_LIFECYCLE=off for a server without lifecycle rules"
answer=$(s3 get-bucket-lifecycle-configuration --bucket "$S3_BUCKET" --output json) \
	|| fail "the server accepted the lifecycle rule but cannot return it"
grep -q '"intake-staging-expiry"' <<< "$answer" && grep -q "\"Days\": $days" <<< "$answer" \
	|| fail "the lifecycle configuration read back is not the one written: $answer"
echo "s3-init: lifecycle rule on $S3_BUCKET: staging/ expires after $days days (retry window $retry_window)"
