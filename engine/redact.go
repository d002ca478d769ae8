package engine

import (
	"errors"

	"github.com/dialsim/dialsim/internal/webhook"
	"github.com/dialsim/dialsim/internal/weburl"
)

// errorText describes a failed request for a diagnostic: a
// *webhook.Error names its URL as the transcript does (a path on the
// application's base, so that a want does not depend on where the
// application listens) and never its user information; see
// webhook.Error.Error for the rest.
func (c *call) errorText(err error) string {
	var we *webhook.Error
	if errors.As(err, &we) {
		short := *we
		short.URL = c.shortURL(we.URL)
		return short.Error()
	}
	return weburl.Redact(err.Error())
}
