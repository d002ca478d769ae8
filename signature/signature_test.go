package signature_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"

	"github.com/dialsim/dialsim/signature"
)

// publishedParams are the parameters of Twilio's published signature
// example (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
var publishedParams = url.Values{
	"CallSid": {"CA1234567890ABCDE"},
	"Caller":  {"+14158675310"},
	"Digits":  {"1234"},
	"From":    {"+14158675310"},
	"To":      {"+18005551212"},
}

const (
	publishedToken     = "12345"
	publishedURL       = "https://example.com/myapp.php?foo=1&bar=2"
	publishedSignature = "L/OH5YylLD5NRKLltdqwSvS0BnU="
)

// hmacBase64 is the signature of text taken as written: Twilio's rule
// without the URL rewriting, written out again so that a mistake shared
// by Sign and Check does not go unseen.
func hmacBase64(token, text string) string {
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(text))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestSign(t *testing.T) {
	// Expected values other than the published one were computed with
	// openssl dgst -sha1 -hmac 12345 -binary | base64.
	tests := []struct {
		name   string
		url    string
		params url.Values
		want   string
	}{
		{"published POST", publishedURL, publishedParams, publishedSignature},
		{"GET: the URL alone", publishedURL, nil, "7fNPeNJw743o4w4nyZb6i1KILQ8="},
		{"repeated name: values in order", "https://example.com/x",
			url.Values{"B": {"2", "1"}, "A": {"x"}}, "5fcMv/8iumwxkE9EbxoWny5vg0Q="},
		{"https", "https://example.com/x", nil, "uun0/3452neA+UJKgVpv8ZnK/DM="},
		{"https drops port", "https://example.com:443/x", nil, "uun0/3452neA+UJKgVpv8ZnK/DM="},
		{"https drops odd port", "https://example.com:8443/x", nil, "uun0/3452neA+UJKgVpv8ZnK/DM="},
		{"https drops user info", "https://user:pw@example.com/x", nil, "uun0/3452neA+UJKgVpv8ZnK/DM="},
		{"https drops both", "https://user:pw@example.com:443/x", nil, "uun0/3452neA+UJKgVpv8ZnK/DM="},
		{"HTTPS scheme in capitals", "HTTPS://example.com:443/x", nil, hmacBase64(publishedToken, "HTTPS://example.com/x")},
		{"https IPv6 literal drops port", "https://[::1]:8443/x", nil, hmacBase64(publishedToken, "https://[::1]/x")},
		{"http keeps port", "http://example.com:8080/x", nil, "OvgK25UCie5N5nmeF6mv8+KnhJY="},
		{"names in byte order: capitals first", "http://a/", url.Values{"alpha": {"1"}, "Zeta": {"2"}},
			hmacBase64(publishedToken, "http://a/Zeta2alpha1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := signature.Sign(publishedToken, tt.url, tt.params); got != tt.want {
				t.Errorf("Sign(%q, %q, %v) = %q, want %q", publishedToken, tt.url, tt.params, got, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tampered := url.Values{}
	for k, v := range publishedParams {
		tampered[k] = v
	}
	tampered.Set("Digits", "1235")
	withPort := hmacBase64(publishedToken, "https://example.com:443/x")
	tests := []struct {
		name   string
		token  string
		url    string
		params url.Values
		sig    string
		want   error
	}{
		{"published", publishedToken, publishedURL, publishedParams, publishedSignature, nil},
		{"port on https", publishedToken, "https://example.com:443/myapp.php?foo=1&bar=2", publishedParams, publishedSignature, nil},
		{"signed with the default port, URL without", publishedToken, "https://example.com/x", nil, withPort, nil},
		{"signed with the port, URL with it", publishedToken, "https://example.com:443/x", nil, withPort, nil},
		{"signed with another port", publishedToken, "https://example.com:8443/x", nil, withPort, signature.ErrMismatch},
		{"http signed without its port", publishedToken, "http://example.com:8080/x", nil, hmacBase64(publishedToken, "http://example.com/x"), nil},
		{"http signed with the default port", publishedToken, "http://example.com/x", nil, hmacBase64(publishedToken, "http://example.com:80/x"), nil},
		{"other token", "54321", publishedURL, publishedParams, publishedSignature, signature.ErrMismatch},
		{"other URL", publishedToken, "https://example.com/myapp.php?foo=1&bar=3", publishedParams, publishedSignature, signature.ErrMismatch},
		{"http instead of https", publishedToken, "http://example.com/myapp.php?foo=1&bar=2", publishedParams, publishedSignature, signature.ErrMismatch},
		{"tampered parameter", publishedToken, publishedURL, tampered, publishedSignature, signature.ErrMismatch},
		{"missing parameters", publishedToken, publishedURL, nil, publishedSignature, signature.ErrMismatch},
		{"truncated signature", publishedToken, publishedURL, publishedParams, publishedSignature[:10], signature.ErrMismatch},
		{"empty signature", publishedToken, publishedURL, publishedParams, "", signature.ErrMissing},
		{"empty token", "", publishedURL, publishedParams, hmacBase64("", publishedURL), signature.ErrNoToken},
		{"not a URL", publishedToken, "example.com/x", nil, hmacBase64(publishedToken, "example.com/x"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := signature.Check(tt.token, tt.url, tt.params, tt.sig)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Check(%q, %q, %v, %q) = %v, want %v", tt.token, tt.url, tt.params, tt.sig, err, tt.want)
			}
		})
	}
}
