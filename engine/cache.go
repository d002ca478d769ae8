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

// resolveCache remembers resolved URLs by base and reference: a call
// resolves the same few (its base URL, its documents' actions and
// callbacks) many times, and every call of a scenario resolves the same.
var resolveCache = struct {
	sync.Mutex
	m map[urlRef]string
}{m: map[urlRef]string{}}

const (
	maxResolved    = 1024     // URLs
	maxResolvedLen = 2 * 1024 // bytes of base and reference: longer ones are resolved each time
)

type urlRef struct{ base, raw string }

// cachedResolve returns the resolution of raw against base, if cached.
func cachedResolve(base, raw string) (string, bool) {
	resolveCache.Lock()
	abs, ok := resolveCache.m[urlRef{base, raw}]
	resolveCache.Unlock()
	return abs, ok
}

// cacheResolve remembers that raw against base resolves to abs.
func cacheResolve(base, raw, abs string) {
	if len(base)+len(raw) > maxResolvedLen {
		return
	}
	resolveCache.Lock()
	if len(resolveCache.m) >= maxResolved {
		clear(resolveCache.m)
	}
	resolveCache.m[urlRef{base, raw}] = abs
	resolveCache.Unlock()
}
