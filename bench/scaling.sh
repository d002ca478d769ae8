#!/usr/bin/env bash
# What the second core gives: the engine's benchmarks of one worker (or
# goroutine) against two, beside the machine's own ceilings
# (bench/ceiling_test.go), in ROUNDS interleaved rounds of one test
# binary, each round running every benchmark once. Prints, for each, the
# median of its rate with 1 and with 2, and the median over the rounds of
# the ratio 2/1 (so that a busy moment of the machine weighs on both
# sides of a ratio alike).
#
#   bench/scaling.sh [ROUNDS] [BENCHTIME]     (defaults: 7 and 1s)
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-7}
benchtime=${2:-1s}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/bench.test" .
pattern='^(BenchmarkCeiling|BenchmarkCeilingMap|BenchmarkCeilingAlloc|BenchmarkStats|BenchmarkStatsScreened|BenchmarkCallParallel)$/^(goroutines|workers)=[12]$'
for r in $(seq "$rounds"); do
	"$work/bench.test" -test.run '^$' -test.bench "$pattern" -test.benchtime "$benchtime" |
		awk -v r="$r" '/^Benchmark/ { for (i = 3; i < NF; i++) if ($(i+1) ~ /\/s$/) { print r, $1, $i; break } }'
done > "$work/rates"
# Each line of rates: round, name (Benchmark.../goroutines=K-P), rate.
printf "%-24s %16s %16s %8s\n" benchmark "1 (median)" "2 (median)" "2/1"
awk '
	{ split($2, p, "/"); name = p[1]; k = substr(p[2], index(p[2], "=") + 1) + 0
	  rate[name, k, $1] = $3; names[name] = 1; rounds[$1] = 1 }
	function median(a, n,    i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j] < a[j-1]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	END {
		for (name in names) {
			n = 0
			for (r in rounds) if ((name, 1, r) in rate && (name, 2, r) in rate) {
				n++; one[n] = rate[name, 1, r]; two[n] = rate[name, 2, r]; ratio[n] = rate[name, 2, r] / rate[name, 1, r]
			}
			if (n == 0) continue
			printf "%-24s %16.0f %16.0f %7.2fx\n", name, median(one, n), median(two, n), median(ratio, n)
		}
	}' "$work/rates" | sort
