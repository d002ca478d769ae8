package scenarios_test

import (
	"testing"

	"github.com/dialsim/dialsim/internal/leakcheck"
)

// TestMain fails the scenario tests if any goroutine outlives them.
func TestMain(m *testing.M) { leakcheck.Main(m) }
