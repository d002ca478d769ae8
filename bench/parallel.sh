#!/usr/bin/env bash
# How much of an application's latency "dialsim test -parallel N" overlaps:
# a suite of N_SCENARIOS one-request scenarios against bench/slowapp, whose
# every answer takes LATENCY of real time, run serially and with -parallel
# 2, 8 and 32, three times each; prints each run's wall time and the median
# ratio serial/parallel.
#
#   bench/parallel.sh [N_SCENARIOS] [LATENCY]     (defaults: 200 and 20ms)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
latency=${2:-20ms}
addr=127.0.0.1:8099
work=$(mktemp -d)
trap 'kill "$app" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/dialsim" ./cmd/dialsim
go build -o "$work/slowapp" ./bench/slowapp
"$work/slowapp" -addr "$addr" -latency "$latency" &
app=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/${addr%:*}/${addr#*:}") 2>/dev/null && break; sleep 0.1; done
mkdir "$work/suite"
for i in $(seq -w 1 "$n"); do
	echo "call from=+15550001111 to=+15550002222 url=/voice" > "$work/suite/s$i.txt"
done
"$work/dialsim" test --update --app "http://$addr" -parallel 32 "$work/suite" > /dev/null
median() { sort -g | sed -n 2p; }
time_of() {
	local s e
	s=$(date +%s.%N)
	"$work/dialsim" test --app "http://$addr" -parallel "$1" "$work/suite" > /dev/null
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
}
serial=$(for _ in 1 2 3; do time_of 1; done | median)
echo "-parallel 1: ${serial} s (median of 3)"
for p in 2 8 32; do
	t=$(for _ in 1 2 3; do time_of "$p"; done | median)
	echo "-parallel $p: ${t} s, $(awk -v a="$serial" -v b="$t" 'BEGIN { printf "%.1f", a / b }')x faster"
done
