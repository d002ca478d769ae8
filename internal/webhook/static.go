package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/dialsim/dialsim/internal/memo"
	"github.com/dialsim/dialsim/internal/weburl"
)

// fetchStatic is fetch for a handler with Config.Documents: what the
// request's answer would be, without the request.
func (f *Fetcher) fetchStatic(ctx context.Context, method string, req Request, twiml bool) (*Response, error) {
	var target staticTarget
	var err error
	if method == http.MethodPost {
		target, err = f.target(req.URL) // no parameters in the URL
	} else {
		target, err = parseTarget(req.URL, req.Params)
	}
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, f.transportError(ctx, target.full, err)
	}
	doc, ok := f.documents(target.path)
	if !ok {
		return nil, &Error{Code: 11217, URL: target.full, Status: http.StatusNotFound}
	}
	if !twiml {
		return nil, nil
	}
	if int64(len(doc)) > f.maxBody {
		return nil, &Error{Code: 11750, URL: target.full, Status: http.StatusOK,
			Err: errBodyTooLarge(f.maxBody)}
	}
	if strings.TrimSpace(doc) == "" {
		return nil, &Error{Code: 11770, URL: target.full, Status: http.StatusOK, Err: errors.New("empty body")}
	}
	return &Response{URL: target.full, Status: http.StatusOK, Text: doc}, nil
}

// staticTarget is a request URL as the handler would see it.
type staticTarget struct {
	full string // the URL requested, parameters included
	path string // its path, as the server's request has it
}

// parseTarget returns the target of a request to raw with params in its
// query (none for nil params), or the error fetch would give.
func parseTarget(raw string, params url.Values) (staticTarget, error) {
	target, err := weburl.Parse(raw)
	if err != nil {
		return staticTarget{}, &Error{Code: 11100, URL: raw, Err: err}
	}
	if enc := params.Encode(); enc != "" {
		if target.RawQuery != "" {
			target.RawQuery += "&" + enc
		} else {
			target.RawQuery = enc
		}
	}
	full := target.String()
	u, err := url.ParseRequestURI(target.RequestURI())
	if err != nil {
		return staticTarget{}, &Error{Code: 11200, URL: full, Err: err}
	}
	return staticTarget{full: full, path: u.Path}, nil
}

// Targets caches the targets of POST requests to Config.Documents by URL:
// a scenario run many times requests the same few URLs. Its entries cost
// their bytes, and it keeps at most its bound. It is safe for concurrent
// use, and its lookups do not contend.
type Targets struct {
	m *memo.Map[string, staticTarget]
}

// NewTargets returns an empty Targets that keeps about maxBytes bytes.
func NewTargets(maxBytes int) *Targets {
	return &Targets{m: memo.New[string, staticTarget](maxBytes)}
}

// targetBytes is what an entry of Targets costs beyond its strings.
const targetBytes = 64

// target is parseTarget(raw, nil), through f's Targets if it has one.
func (f *Fetcher) target(raw string) (staticTarget, error) {
	if f.targets == nil {
		return parseTarget(raw, nil)
	}
	if t, ok := f.targets.m.Get(raw); ok {
		return t, nil
	}
	t, err := parseTarget(raw, nil)
	if err == nil {
		f.targets.m.Put(raw, t, targetBytes+len(raw)+len(t.full)+len(t.path))
	}
	return t, err
}
