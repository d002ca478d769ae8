package engine

import (
	"net/http"
)

// Documents is an application made of fixed TwiML documents, keyed by URL
// path ("/voice"): an http.Handler that answers each path's document as
// text/xml, whatever the method and query, and 404 for other paths. Scenario
// files use it for their embedded documents.
type Documents map[string]string

// ServeHTTP answers the document at r.URL.Path.
func (d Documents) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	doc, ok := d[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Write([]byte(doc))
}

// Document returns the document at path, and false if there is none: what
// ServeHTTP answers, which the engine looks up directly instead of
// building each request and serving it.
func (d Documents) Document(path string) (string, bool) {
	doc, ok := d[path]
	return doc, ok
}
