// Package bench holds dialsim's benchmarks: the first-answer race on bare
// goroutines (the floor), on the virtual clock of package fake, and on
// benbjohnson/clock's Mock, so that each figure is quoted as a ratio to the
// floor measured in the same run.
//
// Run them with
//
//	go test -run '^$' -bench BenchmarkRace -count 5 ./bench
//
// and compare medians (the benchmarks also report µs/race).
//
// It also holds the race-statistics runner behind "dialsim stats": Stats
// plays a scenario with random parties many times, on all cores, each
// call on its own virtual clock, and reports on the first Dial of each
// call (DialCallStatus, who wins, time to connect, whisper declines,
// voicemail wins); the same seed gives the same Report on any number of
// workers, and Merge adds up the reports of shards run apart into exactly
// the report of the whole series. BenchmarkStats measures it in calls/s.
package bench
