package weburl_test

import (
	"testing"

	"github.com/dialsim/dialsim/internal/weburl"
)

func TestRedact(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://app.test/voice", "http://app.test/voice"},
		{"http://user:secret@app.test/voice", "http://app.test/voice"},
		{"https://AC123:tok@en@127.0.0.1:5555", "https://127.0.0.1:5555"},
		{"user@example.com, not a URL", "user@example.com, not a URL"},
		{`redirect to "http://u:p@x.test/a?b=c@d": bad`, `redirect to "http://x.test/a?b=c@d": bad`},
		{"app http://a:b@h1/ and ftp://c:d@h2/x", "app http://h1/ and ftp://h2/x"},
		{"http://u:p@", "http://"},
		{"http://u:p@h\nnext", "http://h\nnext"},
		{"http:// u:p@h/", "http:// u:p@h/"}, // not a URL's user information
	} {
		if got := weburl.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
