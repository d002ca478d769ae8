// Package stats is the race-statistics runner behind "dialsim stats": Run
// plays a scenario with random parties many times, on all cores, each
// call on its own virtual clock, and reports on the first Dial of each
// call (DialCallStatus, who wins, time to connect, whisper declines,
// races a voicemail wins). The same seed gives the same Report on any
// number of workers; a series can be split into Shards run apart (on other
// processes or machines), and Merge adds up their reports into exactly
// the report of the whole series. A Report encodes as JSON and draws its
// histogram of time to connect as SVG (Report.WriteSVG).
//
// Its speed is measured by BenchmarkStats in package bench, in calls/s.
package stats
