#!/bin/bash
# Starts the service of this image. The status-service needs an address that its peers can reach
# (interactive queries are forwarded to the instance that owns a batch): unless
# INTAKE_STATUS_ADVERTISED_HOST names one, this container's first IP address is advertised, so
# every replica of a scaled service advertises its own.
set -euo pipefail
if [[ "${INTAKE_SERVICE:-}" == status-service && "${INTAKE_STATUS_ADVERTISED_HOST:-auto}" == auto ]]; then
	address=$(hostname -i | awk '{print $1}')
	if [[ -z "$address" ]]; then
		echo "entrypoint: cannot find this container's address; set INTAKE_STATUS_ADVERTISED_HOST" >&2
		exit 1
	fi
	export INTAKE_STATUS_ADVERTISED_HOST="$address"
	echo "entrypoint: advertising ${INTAKE_STATUS_ADVERTISED_HOST} to the other status-service instances" >&2
fi
exec java -cp /opt/intake org.springframework.boot.loader.launch.JarLauncher "$@"
