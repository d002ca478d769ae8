package engine

import (
	"github.com/dialsim/dialsim/internal/memo"
	"github.com/dialsim/dialsim/twiml"
)

// Calls of a scenario run thousands of times (statistics) parse the same
// documents, resolve the same URLs and derive the same SIDs; these caches
// do each once. Each is bounded (see memo.Map for how it turns over).
const (
	maxCached     = 1024      // parsed documents
	maxCachedBody = 16 * 1024 // bytes: larger documents are parsed each time
	maxResolved   = 1024      // URLs
	maxRefLen     = 2 * 1024  // bytes of base and reference: longer ones are resolved each time
	maxSIDs       = 4096      // SIDs
)

// parsed remembers parsed documents by their bytes. A parsed Response is
// never changed by the engine, so calls share it.
var parsed = memo.New[parseKey, parseResult](maxCached)

type parseKey struct {
	body, file string
	whisper    bool
}

type parseResult struct {
	r   *twiml.Response
	err error
}

// parse is twiml.Parse of body through the cache. It reports whether the
// Response is the cache's, shared with other calls.
func parse(body string, opts twiml.Options) (r *twiml.Response, shared bool, err error) {
	if len(body) > maxCachedBody {
		r, err := twiml.Parse([]byte(body), opts)
		return r, false, err
	}
	key := parseKey{body, opts.File, opts.Whisper}
	if p, ok := parsed.Get(key); ok {
		return p.r, true, p.err
	}
	r, err = twiml.Parse([]byte(body), opts)
	parsed.Put(key, parseResult{r, err})
	return r, true, err
}

// resolved remembers resolved URLs by base and reference.
var resolved = memo.New[urlRef, string](maxResolved)

type urlRef struct{ base, raw string }

// cachedResolve returns the resolution of raw against base, if cached.
func cachedResolve(base, raw string) (string, bool) {
	return resolved.Get(urlRef{base, raw})
}

// cacheResolve remembers that raw against base resolves to abs.
func cacheResolve(base, raw, abs string) {
	if len(base)+len(raw) <= maxRefLen {
		resolved.Put(urlRef{base, raw}, abs)
	}
}

// sids remembers SIDs by what they are derived from.
var sids = memo.New[string, string](maxSIDs)
