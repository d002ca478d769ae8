// Package bench holds dialsim's benchmarks: the first-answer race on bare
// goroutines (the floor), on the virtual clock of package fake, and on
// benbjohnson/clock's Mock, so that each figure is quoted as a ratio to the
// floor measured in the same run; whole calls (BenchmarkCall); and the
// statistics runner of package stats (BenchmarkStats, in calls/s); and
// worlds of 10, 100 and 1,000 callers on one clock (BenchmarkWorld, in
// µs/caller).
//
// Run them with
//
//	go test -run '^$' -bench 'BenchmarkRace|BenchmarkCall|BenchmarkStats|BenchmarkWorld' -count 5 ./bench
//
// and compare medians (the benchmarks also report µs/race, µs/call or
// calls/s). What a second core gives is measured by bench/scaling.sh, which
// runs the one-against-two benchmarks (BenchmarkStats, BenchmarkCallParallel)
// beside the machine's own ceilings (BenchmarkCeiling, BenchmarkCeilingMap,
// BenchmarkCeilingAlloc) in interleaved rounds. The package's functions are
// the races the benchmarks run.
package bench
