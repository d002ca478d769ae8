package webhook_test

import (
	"net/url"
	"testing"

	"github.com/dialsim/dialsim/internal/webhook"
)

// publishedParams are the parameters of Twilio's published signature
// example.
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
		{"HTTPS scheme in capitals", "HTTPS://example.com:443/x", nil,
			webhook.Sign(publishedToken, "HTTPS://example.com/x", nil)},
		{"http keeps port", "http://example.com:8080/x", nil, "OvgK25UCie5N5nmeF6mv8+KnhJY="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := webhook.Sign(publishedToken, tt.url, tt.params); got != tt.want {
				t.Errorf("Sign(%q, %q, %v) = %q, want %q", publishedToken, tt.url, tt.params, got, tt.want)
			}
		})
	}
}

func TestSignNamesInByteOrder(t *testing.T) {
	// Byte order puts capitals before lower case: "Zeta" < "alpha".
	got := webhook.Sign("k", "http://a/", url.Values{"alpha": {"1"}, "Zeta": {"2"}})
	want := webhook.Sign("k", "http://a/Zeta2alpha1", nil)
	if got != want {
		t.Errorf("Sign with names Zeta, alpha = %q, want the signature of URL+\"Zeta2alpha1\" %q", got, want)
	}
}

func TestValid(t *testing.T) {
	tampered := url.Values{}
	for k, v := range publishedParams {
		tampered[k] = v
	}
	tampered.Set("Digits", "1235")
	tests := []struct {
		name      string
		token     string
		url       string
		params    url.Values
		signature string
		want      bool
	}{
		{"published", publishedToken, publishedURL, publishedParams, publishedSignature, true},
		{"port on https", publishedToken, "https://example.com:443/myapp.php?foo=1&bar=2", publishedParams, publishedSignature, true},
		{"other token", "54321", publishedURL, publishedParams, publishedSignature, false},
		{"other URL", publishedToken, "https://example.com/myapp.php?foo=1&bar=3", publishedParams, publishedSignature, false},
		{"http instead of https", publishedToken, "http://example.com/myapp.php?foo=1&bar=2", publishedParams, publishedSignature, false},
		{"tampered parameter", publishedToken, publishedURL, tampered, publishedSignature, false},
		{"missing parameters", publishedToken, publishedURL, nil, publishedSignature, false},
		{"empty signature", publishedToken, publishedURL, publishedParams, "", false},
		{"truncated signature", publishedToken, publishedURL, publishedParams, publishedSignature[:10], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := webhook.Valid(tt.token, tt.url, tt.params, tt.signature); got != tt.want {
				t.Errorf("Valid = %v, want %v", got, tt.want)
			}
		})
	}
}
