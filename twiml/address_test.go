package twiml_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dialsim/dialsim/twiml"
)

func TestValidClient(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"jenny", true},
		{"support_agent-1.x@example.com", true},
		// The limit counts characters, not bytes: 256 é are 512 bytes.
		{strings.Repeat("é", 200), true},
		{strings.Repeat("é", twiml.MaxClientLength), true},
		{strings.Repeat("a", twiml.MaxClientLength), true},
		{strings.Repeat("a", twiml.MaxClientLength+1), false},
		{strings.Repeat("é", twiml.MaxClientLength+1), false},
		{"", false},
		{"jenny smith", false},
		{"jenny\u00a0smith", false}, // a no-break space is white space too
		{"a\tb", false},
		{"a\x7fb", false},
		{"a<b", false},
		{"a#b", false},
		{`a"b`, false},
		{"a{b", false},
		{"a|b", false},
		{"a`b", false},
		{"a\xffb", false}, // not UTF-8
	}
	for _, tt := range tests {
		err := twiml.ValidClient(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("ValidClient(%.20q) = %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, twiml.ErrClientName) {
			t.Errorf("ValidClient(%.20q) = %v, which does not wrap ErrClientName", tt.name, err)
		}
	}
}

// TestClientRuleIsParseRule checks that <Client> and ValidClient apply
// one rule.
func TestClientRuleIsParseRule(t *testing.T) {
	for _, name := range []string{"jenny", strings.Repeat("é", 200), strings.Repeat("é", 257), "a b", "a{b"} {
		_, ds := parse(t, "<Response><Dial><Client>"+name+"</Client></Dial></Response>", twiml.Options{})
		parsed := len(ds) == 0
		if valid := twiml.ValidClient(name) == nil; parsed != valid {
			t.Errorf("<Client>%.20s</Client> parses cleanly: %v; ValidClient: %v", name, parsed, valid)
		}
	}
}

func TestValidAddress(t *testing.T) {
	tests := []struct {
		addr string
		want error
	}{
		{"+14155551212", nil},
		{"+15550001111", nil},
		{"+442079460958", nil},
		{"client:jenny", nil},
		{"client:" + strings.Repeat("é", 200), nil},
		{"client:", twiml.ErrClientName},
		{"client:a b", twiml.ErrClientName},
		{"4155551212", twiml.ErrPhoneNumber},      // not E.164 as written
		{"+1 415 555 1212", twiml.ErrPhoneNumber}, // formatted
		{"+1234567890123456", twiml.ErrPhoneNumber},
		{"+6931234567", twiml.ErrPhoneNumber},
		{"+0858", twiml.ErrPhoneNumber},
		{"sip:jack@example.com", twiml.ErrPhoneNumber},
		{"", twiml.ErrPhoneNumber},
	}
	for _, tt := range tests {
		err := twiml.ValidAddress(tt.addr)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("ValidAddress(%.30q) = %v, want %v", tt.addr, err, tt.want)
		}
	}
}

func TestIsPhoneNumber(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"+14155551212", true},
		{"+6834002", true},
		{"+14155551212 ", false},
		{"(415) 555-1212", false},
		{"client:jenny", false},
		{"+6931234567", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := twiml.IsPhoneNumber(tt.s); got != tt.want {
			t.Errorf("IsPhoneNumber(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
