package stats

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrShard is the error of a shard that is not a slice of a series: one
// without the form I/N, or whose numbers are not 0 <= I < N.
var ErrShard = errors.New("want I/N with 0 <= I < N, such as 0/4")

// Shard is one of N slices of a series of runs: the runs whose index is I
// modulo N, so that shard I/N holds runs I, I+N, I+2N, ... The zero value
// is the whole series, as is Shard{0, 1}. Its text form, which
// MarshalText writes and UnmarshalText reads (as a command-line flag
// does with flag.TextVar), is "I/N".
type Shard struct {
	I, N int
}

// ParseShard returns the shard s names, "I/N" with 0 <= I < N in
// decimal, or an error wrapping ErrShard.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("stats: shard %q: %w", s, ErrShard)
	}
	i, err := strconv.Atoi(is)
	if err != nil {
		return Shard{}, fmt.Errorf("stats: shard %q: I is %w: %w", s, numError(err), ErrShard)
	}
	n, err := strconv.Atoi(ns)
	if err != nil {
		return Shard{}, fmt.Errorf("stats: shard %q: N is %w: %w", s, numError(err), ErrShard)
	}
	sh := Shard{I: i, N: n}
	if n == 0 { // the zero Shard is the whole series, but "0/0" is no shard
		return Shard{}, fmt.Errorf("stats: shard %q: N is 0: %w", s, ErrShard)
	}
	if err := sh.Check(); err != nil {
		return Shard{}, err
	}
	return sh, nil
}

// numError says why strconv.Atoi refused a number, without repeating it.
func numError(err error) error {
	if errors.Is(err, strconv.ErrRange) {
		return errors.New("out of range")
	}
	return errors.New("not a number")
}

// Check returns nil for the zero Shard and for 0 <= I < N, and otherwise
// an error wrapping ErrShard.
func (s Shard) Check() error {
	if s == (Shard{}) || s.N >= 1 && s.I >= 0 && s.I < s.N {
		return nil
	}
	return fmt.Errorf("stats: shard %d/%d: %w", s.I, s.N, ErrShard)
}

// whole returns s with the zero Shard spelled out as 0/1.
func (s Shard) whole() Shard {
	if s == (Shard{}) {
		return Shard{0, 1}
	}
	return s
}

// Runs returns how many of the runs 0 to runs-1 the shard holds: those
// whose index is I modulo N. It is 0 for a shard that Check refuses and
// for runs <= 0. It cannot overflow, whatever the numbers.
func (s Shard) Runs(runs int) int {
	s = s.whole()
	if s.Check() != nil || s.I >= runs {
		return 0
	}
	// Runs I, I+N, ... up to runs-1: one, and one more for each N in
	// the runs-1-I after I. (runs-I+N-1)/N would overflow for a large N.
	return 1 + (runs-1-s.I)/s.N
}

// String returns the shard as "I/N", the zero Shard as "0/1".
func (s Shard) String() string {
	s = s.whole()
	return strconv.Itoa(s.I) + "/" + strconv.Itoa(s.N)
}

// MarshalText returns the shard as "I/N", or an error wrapping ErrShard
// for a shard that Check refuses.
func (s Shard) MarshalText() ([]byte, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	return []byte(s.String()), nil
}

// UnmarshalText sets s to the shard text names, as ParseShard does.
func (s *Shard) UnmarshalText(text []byte) error {
	sh, err := ParseShard(string(text))
	if err != nil {
		return err
	}
	*s = sh
	return nil
}
