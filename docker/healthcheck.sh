#!/bin/bash
# Ready when the service's readiness group is UP (Kafka, S3 and, in the status-service, the
# Streams state). Asks the management port (MANAGEMENT_SERVER_PORT, else the service's default:
# api 8090, status 8091, worker 8092), which serves health and metrics without a credential.
# Plain bash over /dev/tcp: the image needs no HTTP client.
set -uo pipefail
case "${INTAKE_SERVICE:-}" in
	api-service) default_port=8090 ;;
	status-service) default_port=8091 ;;
	worker-service) default_port=8092 ;;
	*) default_port=8090 ;;
esac
port="${MANAGEMENT_SERVER_PORT:-$default_port}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
answer=$(timeout 3 cat <&3)
[[ "$answer" == "HTTP/1."?" 200"* && "$answer" == *'"UP"'* ]]
