package engine

// ExpireFetches makes a request of e's calls time out, as if its
// FetchTimeout had passed, each time a value is sent on expired: a test's
// application that never answers sends one when it stalls, and the test
// waits out no real timeout.
func ExpireFetches(e *Engine, expired <-chan struct{}) { e.fetchExpired = expired }
