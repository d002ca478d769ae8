package weburl_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/dialsim/dialsim/internal/weburl"
)

func TestRules(t *testing.T) {
	tests := []struct {
		in                    string
		absolute, ref, isPath bool
	}{
		{"https://example.com/voice", true, true, false},
		{"http://127.0.0.1:8080/voice?x=1#frag", true, true, false},
		{"/voice", false, true, true},
		{"/menu?lang=en", false, true, true},
		{"voice.xml", false, true, false},
		{"//example.com/voice", false, true, false},
		{"ftp://example.com/voice", false, false, false},
		{"mailto:jenny@example.com", false, false, false},
		{"https:///voice", false, false, false},
		{"http://[::1", false, false, false},
		{"", false, true, false},
	}
	for _, tt := range tests {
		if got := weburl.IsAbsolute(tt.in); got != tt.absolute {
			t.Errorf("IsAbsolute(%q) = %v, want %v", tt.in, got, tt.absolute)
		}
		if got := weburl.CheckRef(tt.in) == nil; got != tt.ref {
			t.Errorf("CheckRef(%q) = %v, want nil: %v", tt.in, weburl.CheckRef(tt.in), tt.ref)
		}
		if got := weburl.IsPath(tt.in); got != tt.isPath {
			t.Errorf("IsPath(%q) = %v, want %v", tt.in, got, tt.isPath)
		}
	}
}

func TestParseDropsFragment(t *testing.T) {
	u, err := weburl.Parse("https://example.com/voice?x=1#part")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.String(), "https://example.com/voice?x=1"; got != want {
		t.Errorf("Parse = %s, want %s", got, want)
	}
}

func TestResolve(t *testing.T) {
	base, _ := url.Parse("https://example.com/app/voice")
	u, err := weburl.Resolve(base, " menu?x=1 ")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.String(), "https://example.com/app/menu?x=1"; got != want {
		t.Errorf("Resolve = %s, want %s", got, want)
	}
	if _, err := weburl.Resolve(base, "ftp://example.com/x"); err == nil {
		t.Errorf("Resolve of an ftp URL: no error")
	}
}

func ExampleCheckRef() {
	for _, ref := range []string{"/wait", "https://example.com/hold", "ftp://example.com/hold"} {
		fmt.Println(ref, weburl.CheckRef(ref))
	}
	// Output:
	// /wait <nil>
	// https://example.com/hold <nil>
	// ftp://example.com/hold scheme "ftp" is not http or https
}
