package main

import (
	"testing"

	"github.com/dialsim/dialsim/internal/leakcheck"
)

// TestMain fails the CLI's tests if any goroutine outlives them.
func TestMain(m *testing.M) { leakcheck.Main(m) }
