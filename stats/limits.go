package stats

// MaxWorkers is the most calls Run runs at once: a larger
// Options.Workers counts as MaxWorkers. Each worker is a goroutine with a
// virtual clock of its own, and two cores gain nothing from hundreds.
const MaxWorkers = 256
