package engine

import (
	"sync/atomic"

	"github.com/dialsim/dialsim/internal/memo"
	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/twiml"
)

// DefaultCacheBytes is the bound of a Cache made by NewCache(0), and of
// an Engine's own: about how many bytes of documents, URLs and SIDs it
// keeps.
const DefaultCacheBytes = 8 << 20

// A Cache keeps what calls derive from the documents they fetch, so that
// calls fetching the same documents (every run of a scenario) derive it
// once: each document compiled (parsed, its Dials' nouns planned), each
// URL resolved, each SID hashed; and it recycles the calls' legs. It is
// bounded by the bytes it keeps, turning over in two generations (entries
// still in use come back at the cost of compiling them again). Calls of
// many Engines may share one at once: a lookup takes no lock and writes no
// shared memory, so calls on several cores do not contend for it.
//
// BenchmarkCall/legs=10 (bench), with the Cache and without (every
// document parsed, URL resolved and SID hashed again), interleaved runs of
// two test binaries on 2 cores, 1 Dec 2026, medians of 5: 40.3 µs and 41
// allocations a call with, 224 µs and 503 without.
type Cache struct {
	m       *memo.Map[cacheKey, cacheEntry]
	targets *webhook.Targets // the URLs of requests to a DocumentFinder
	legs    legPool          // the legs of finished calls, for the next
	// sizes is the length of the last transcript of a call of the Cache,
	// events in the high half and their fields in the low: see
	// transcriptHint.
	sizes atomic.Uint64
}

// maxHintEvents and maxHintAttrs cap what a transcript's first capacity
// takes from the last call's: one long call must not make every later
// call start with a large transcript.
const (
	maxHintEvents = 256
	maxHintAttrs  = 512
)

// transcriptHint returns how many events and fields the last call of c
// recorded (none before a first call), for the next call's first
// capacity.
func (c *Cache) transcriptHint() (events, attrs int) {
	v := c.sizes.Load()
	return int(v >> 32), int(uint32(v))
}

// noteTranscript keeps the length of a call's transcript as the hint for
// the next call, capped. Calls of one Cache usually record the same
// transcript or nearly, so the store is skipped when the hint holds
// already, and two cores' calls do not write the same memory each time.
func (c *Cache) noteTranscript(events, attrs int) {
	v := uint64(min(events, maxHintEvents))<<32 | uint64(min(attrs, maxHintAttrs))
	if c.sizes.Load() != v {
		c.sizes.Store(v)
	}
}

// NewCache returns an empty Cache that keeps about maxBytes bytes at
// most; zero means DefaultCacheBytes.
func NewCache(maxBytes int) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	// The requests' URLs take an eighth of the bytes.
	return &Cache{m: memo.New[cacheKey, cacheEntry](maxBytes - maxBytes/8), targets: webhook.NewTargets(maxBytes / 8)}
}

// cacheKey is what an entry is derived from: a document's text, URL and
// file name, and its mode; a base URL and a reference; or what a SID is
// hashed from, followed by its prefix.
type cacheKey struct {
	kind    entryKind
	whisper bool
	a, b, c string
}

type entryKind uint8

const (
	kindDocument entryKind = iota
	kindURL
	kindSID
	kindPhone
)

// cacheEntry is a compiled document, or a resolved URL or a SID.
type cacheEntry struct {
	doc *compiled
	s   string
}

// Costs of entries, in bytes: the key's strings and the value's, plus
// entryBytes for the rest; a parsed document takes about parsedPerByte
// times its text.
const (
	entryBytes    = 256
	parsedPerByte = 2
)

// compiled is a document made ready to run: parsed (or the error that
// parsing it gave) and the plans of its Dials. Calls share it, and never
// change it.
type compiled struct {
	resp  *twiml.Response
	err   error
	plans map[*twiml.Dial][]nounPlan
	notes []string // of the attributes not simulated (notesOf)
}

// compile parses body as opts say and plans its Dials.
func compile(body string, opts twiml.Options) *compiled {
	r, err := twiml.Parse([]byte(body), opts)
	doc := &compiled{resp: r, err: err, notes: notesOf(r, opts.File)}
	if r != nil {
		for _, v := range r.Verbs {
			if d, ok := v.(*twiml.Dial); ok {
				if doc.plans == nil {
					doc.plans = map[*twiml.Dial][]nounPlan{}
				}
				doc.plans[d] = planOf(d)
			}
		}
	}
	return doc
}

// document returns body compiled, from the cache if it is there.
func (c *Cache) document(body, url string, opts twiml.Options) *compiled {
	k := cacheKey{kind: kindDocument, whisper: opts.Whisper, a: body, b: url, c: opts.File}
	if e, ok := c.m.Get(k); ok {
		return e.doc
	}
	doc := compile(body, opts)
	c.m.Put(k, cacheEntry{doc: doc}, entryBytes+(1+parsedPerByte)*len(body)+len(url)+len(opts.File))
	return doc
}

// resolved returns the resolution of raw against base, if cached.
func (c *Cache) resolved(base, raw string) (string, bool) {
	e, ok := c.m.Get(cacheKey{kind: kindURL, a: base, b: raw})
	return e.s, ok
}

// putResolved remembers that raw against base resolves to abs.
func (c *Cache) putResolved(base, raw, abs string) {
	c.m.Put(cacheKey{kind: kindURL, a: base, b: raw}, cacheEntry{s: abs}, entryBytes+len(base)+len(raw)+len(abs))
}

// sid returns the SID derived from key (what is hashed, then the
// prefix), if cached. It looks key up without copying it.
func (c *Cache) sid(key []byte) (string, bool) {
	young, old := c.m.Snapshot()
	if e, ok := young[cacheKey{kind: kindSID, a: string(key)}]; ok {
		return e.s, true
	}
	e, ok := old[cacheKey{kind: kindSID, a: string(key)}]
	return e.s, ok
}

// putSID remembers the SID derived from key.
func (c *Cache) putSID(key []byte, sid string) {
	c.m.Put(cacheKey{kind: kindSID, a: string(key)}, cacheEntry{s: sid}, entryBytes+len(key)+len(sid))
}

// isPhoneNumber returns twiml.IsPhoneNumber(s), remembered: a Dial's
// caller ID is checked on every call (needsCallerID), and the check
// allocates.
func (c *Cache) isPhoneNumber(s string) bool {
	k := cacheKey{kind: kindPhone, a: s}
	if e, ok := c.m.Get(k); ok {
		return e.s != ""
	}
	phone := twiml.IsPhoneNumber(s)
	v := ""
	if phone {
		v = "phone"
	}
	c.m.Put(k, cacheEntry{s: v}, entryBytes+len(s))
	return phone
}

// ownCache is an Engine's own Cache, made by its first call. It holds a
// *Cache in an atomic.Value rather than behind a lock, so that an Engine
// stays a value that can be copied (as a template for runs) while no
// call runs on it: the copy shares the Cache once there is one.
type ownCache struct{ v atomic.Value }

// get returns the Cache, made if there is none yet.
func (o *ownCache) get() *Cache {
	if c, ok := o.v.Load().(*Cache); ok {
		return c
	}
	o.v.CompareAndSwap(nil, NewCache(0))
	return o.v.Load().(*Cache)
}
