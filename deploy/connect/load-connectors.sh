#!/bin/sh
# Creates or updates every connector of a directory of JSON files through the Kafka Connect REST API:
# PUT /connectors/<file name without .json>/config with the file as the body (idempotent: run it again after an edit).
#   load-connectors.sh [DIR]          CONNECT_URL (default http://connect:8083) names the worker.
# Waits up to 5 minutes for the worker; exits 1 when a connector was refused (the others are still loaded).
set -eu
connect_url="${CONNECT_URL:-http://connect:8083}"
dir="${1:-/connectors}"

tries=0
until curl -fsS -o /dev/null "$connect_url/connectors"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "Kafka Connect at $connect_url did not answer within 5 minutes." >&2
    exit 1
  fi
  sleep 5
done

status=0
for file in "$dir"/*.json; do
  name="$(basename "$file" .json)"
  code="$(curl -sS -o /tmp/connect-response -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary "@$file" "$connect_url/connectors/$name/config")"
  case "$code" in
    200|201) echo "$name: created or updated (HTTP $code)" ;;
    *) echo "$name: refused (HTTP $code): $(cat /tmp/connect-response)" >&2; status=1 ;;
  esac
done
exit "$status"
