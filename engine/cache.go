package engine

import (
	"sync"

	"dialsim/twiml"
)

// parseCache remembers parsed documents by their bytes, so that calls of
// a scenario run thousands of times (statistics) parse each document once.
// A parsed Response is never changed by the engine, so calls share it.
var parseCache = struct {
	sync.Mutex
	m map[parseKey]parsed
}{m: map[parseKey]parsed{}}

const (
	maxCached     = 1024      // documents
	maxCachedBody = 16 * 1024 // bytes: larger documents are parsed each time
)

type parseKey struct {
	body, file string
	whisper    bool
}

type parsed struct {
	r   *twiml.Response
	err error
}

// parse is twiml.Parse through the cache.
func parse(body []byte, opts twiml.Options) (*twiml.Response, error) {
	if len(body) > maxCachedBody {
		return twiml.Parse(body, opts)
	}
	key := parseKey{string(body), opts.File, opts.Whisper}
	parseCache.Lock()
	p, ok := parseCache.m[key]
	parseCache.Unlock()
	if ok {
		return p.r, p.err
	}
	r, err := twiml.Parse(body, opts)
	parseCache.Lock()
	if len(parseCache.m) >= maxCached {
		clear(parseCache.m)
	}
	parseCache.m[key] = parsed{r, err}
	parseCache.Unlock()
	return r, err
}
