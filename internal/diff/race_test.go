//go:build race

package diff_test

// slow is how many times the race detector slows the code down, about.
const slow = 10
