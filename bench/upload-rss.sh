#!/usr/bin/env bash
# Measures the server's peak resident memory (VmHWM from /proc) while a large upload streams through
# POST /api/works. Usage: bench/upload-rss.sh [SIZE_MB]   (default 1024)
# The upload is a WAV file (a 44-byte header plus pseudo-random samples) so it imports as a real work.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
work=$(mktemp -d /tmp/atelier-rss.XXXXXX)
port=${ATELIER_BENCH_PORT:-5187}
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release src/Atelier.Cli -v q -nologo >/dev/null
cli="dotnet src/Atelier.Cli/bin/Release/net10.0/atelier.dll --data $work/data"

python3 - "$work/big.wav" "$size_mb" <<'PY'
import struct, sys, os
path, mb = sys.argv[1], int(sys.argv[2])
data = mb * 1024 * 1024 - 44
with open(path, "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE")
    f.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, 2, 44100, 44100 * 4, 4, 16))
    f.write(b"data" + struct.pack("<I", data))
    block = os.urandom(1 << 20)
    left = data
    while left > 0:
        n = min(left, len(block)); f.write(block[:n]); left -= n
PY

key=$($cli init --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["ownerKey"])')
$cli serve --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
pid=$(pgrep -f "atelier.dll --data $work/data serve" | head -n 1)
before=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
start=$(date +%s.%N)
code=$(curl -s -o "$work/resp.json" -w '%{http_code}' -H "Authorization: Bearer $key" -F "file=@$work/big.wav" "http://127.0.0.1:$port/api/works")
end=$(date +%s.%N)
peak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "upload: ${size_mb} MiB, HTTP $code, $(python3 -c "print(f'{$size_mb/($end-$start):.0f}')") MiB/s"
echo "server peak RSS (VmHWM): before upload $((before / 1024)) MiB, after upload $((peak / 1024)) MiB"
head -c 300 "$work/resp.json"; echo
