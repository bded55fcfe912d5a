#!/usr/bin/env bash
# Local demo: the job worker in the background, Daphne in the foreground.
# Ctrl-C stops both.
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$BIN/celery" -A hub worker --loglevel=warning --concurrency=1 --pool=solo &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

echo "eBilim is on http://$HOST:$PORT  (Ctrl-C to stop)"
"$BIN/daphne" -b "$HOST" -p "$PORT" hub.asgi:application
