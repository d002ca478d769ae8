package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/dialsim/dialsim/internal/memo"
)

// fetchStatic is fetch for a handler with Config.Documents: what the
// request's answer would be, without the request.
func (f *Fetcher) fetchStatic(ctx context.Context, method string, req Request, twiml bool) (*Response, error) {
	var target staticTarget
	var err error
	if method == http.MethodPost {
		target, err = cachedTarget(req.URL) // no parameters in the URL
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
	target, err := requestURL(raw)
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

// targets caches the targets of POST requests by URL: a scenario run
// many times requests the same few URLs.
var targets = memo.New[string, staticTarget](maxTargets)

const (
	maxTargets   = 1024     // URLs
	maxTargetLen = 2 * 1024 // bytes: longer URLs are parsed each time
)

// cachedTarget is parseTarget(raw, nil) through the cache.
func cachedTarget(raw string) (staticTarget, error) {
	if t, ok := targets.Get(raw); ok {
		return t, nil
	}
	t, err := parseTarget(raw, nil)
	if err == nil && len(raw) <= maxTargetLen {
		targets.Put(raw, t, 1)
	}
	return t, err
}
