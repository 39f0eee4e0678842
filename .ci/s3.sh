#!/usr/bin/env bash
# Starts a local S3-compatible server (s3rver, from npm) for the blob store tests.
#
#   .ci/s3.sh          install (once) and start it in the background; the last line printed is
#                      the value to export as ATELIER_TEST_S3
#   .ci/s3.sh --stop   stop the server this script started
#
# Everything lives under .ci/tmp (git-ignored): the npm install, the data folder, the pid and log.
# Port: ATELIER_S3_PORT (default 4569). Needs node and npm; no global install, no Docker.
#
# Why s3rver: it is the S3-compatible server that npm or Debian can install (MinIO and Garage are in
# neither; Debian's radosgw needs a Ceph cluster). It works with AWSSDK v4 once the client sends
# plain signed bodies (S3BlobStore does). Its gaps, which the store copes with: no listing or
# aborting of multipart uploads, a wrong length for ranges on empty objects, and a PUT answered
# before its file is closed (3.7.1; the fix in the @20minutes/s3rver fork needs node 24).
set -euo pipefail

S3RVER_VERSION=3.7.1
BUCKET=atelier-test
# s3rver's built-in account; it accepts no other credentials.
ACCESS_KEY=S3RVER
SECRET_KEY=S3RVER

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp="$repo/.ci/tmp"
prefix="$tmp/s3rver"
data="$tmp/s3rver-data"
pidfile="$tmp/s3rver.pid"
logfile="$tmp/s3rver.log"
port="${ATELIER_S3_PORT:-4569}"

running() {
    [[ -f "$pidfile" ]] || return 1
    local pid
    pid=$(cat "$pidfile")
    if [[ -d /proc ]]; then
        # The recorded pid must still be our s3rver, not a process that reused the number.
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$prefix/.*s3rver"
    else
        kill -0 "$pid" 2>/dev/null
    fi
}

answers() {
    # Any HTTP reply means it is serving (an anonymous GET / is refused with 403).
    (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && head -c 12 <&3 | grep -q '^HTTP/') 2>/dev/null
}

if [[ "${1:-}" == "--stop" ]]; then
    if running; then
        kill "$(cat "$pidfile")"
        for _ in $(seq 1 50); do
            running || break
            sleep 0.1
        done
        echo "s3rver stopped" >&2
    fi
    rm -f "$pidfile"
    exit 0
fi

if ! running; then
    if answers; then
        echo "port $port is already served by something else; set ATELIER_S3_PORT to a free port" >&2
        exit 1
    fi
    if [[ ! -x "$prefix/node_modules/.bin/s3rver" ]]; then
        echo "installing s3rver $S3RVER_VERSION into $prefix" >&2
        mkdir -p "$prefix"
        npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "s3rver@$S3RVER_VERSION" >&2
    fi

    mkdir -p "$data"
    # setsid + nohup: the server outlives this script and the shell that ran it.
    setsid nohup "$prefix/node_modules/.bin/s3rver" \
        --directory "$data" --address 127.0.0.1 --port "$port" --silent \
        --configure-bucket "$BUCKET" >"$logfile" 2>&1 </dev/null &
    echo $! >"$pidfile"
fi

for _ in $(seq 1 100); do
    if answers; then
        echo "s3rver serving on 127.0.0.1:$port (bucket $BUCKET, data $data)" >&2
        echo "endpoint=http://127.0.0.1:$port;bucket=$BUCKET;accessKey=$ACCESS_KEY;secretKey=$SECRET_KEY;region=us-east-1"
        exit 0
    fi
    if ! running; then
        echo "s3rver exited; its log ($logfile):" >&2
        cat "$logfile" >&2
        rm -f "$pidfile"
        exit 1
    fi
    sleep 0.1
done

echo "s3rver did not answer on 127.0.0.1:$port within 10 s; log: $logfile" >&2
exit 1
