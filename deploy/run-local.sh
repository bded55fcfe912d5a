#!/usr/bin/env bash
# Local demo: the job worker (and the media worker when CLASSES_MEDIA_WORKER is on) in the
# background, Daphne in the foreground. Ctrl-C stops them all.
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$BIN/celery" -A hub worker --loglevel=warning --concurrency=1 --pool=solo &
worker=$!
media=
# With CLASSES_MEDIA_WORKER on (it needs REDIS_URL) the online classes' media server
# runs as a process of its own (deploy/media-worker.md); off, it lives inside Daphne.
case "$(echo "${CLASSES_MEDIA_WORKER:-0}" | tr '[:upper:]' '[:lower:]')" in
  1|true|yes|on)
    "$BIN/python" manage.py media_worker &
    media=$!
    ;;
esac
trap 'kill "$worker" $media 2>/dev/null || true' EXIT INT TERM

echo "eBilim is on http://$HOST:$PORT  (Ctrl-C to stop)"
"$BIN/daphne" -b "$HOST" -p "$PORT" hub.asgi:application
