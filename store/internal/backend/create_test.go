package backend

import (
	"strings"
	"testing"
)

func TestGenerateName(t *testing.T) {
	cases := []struct {
		name       string
		prefix     string
		wantPrefix string
	}{
		{"short prefix kept", "web-", "web-"},
		{"empty prefix", "", ""},
		{"prefix at the limit kept", strings.Repeat("a", MaxGeneratedPrefix), strings.Repeat("a", MaxGeneratedPrefix)},
		{"long prefix cut", strings.Repeat("b", 100), strings.Repeat("b", MaxGeneratedPrefix)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[string]bool{}
			for range 50 {
				got := GenerateName(tc.prefix)
				if !strings.HasPrefix(got, tc.wantPrefix) || len(got) != len(tc.wantPrefix)+GenerateSuffixLen {
					t.Fatalf("GenerateName(%q) = %q, want %q and %d suffix characters", tc.prefix, got, tc.wantPrefix, GenerateSuffixLen)
				}
				if len(got) > 63 {
					t.Fatalf("GenerateName(%q) = %q: %d bytes, more than 63", tc.prefix, got, len(got))
				}
				for _, c := range got[len(tc.wantPrefix):] {
					if !strings.ContainsRune(SuffixAlphabet, c) {
						t.Fatalf("GenerateName(%q) = %q: suffix character %q not in %q", tc.prefix, got, c, SuffixAlphabet)
					}
				}
				seen[got] = true
			}
			// 27^5 suffixes: 50 draws repeat one with probability below 1e-4.
			if len(seen) < 49 {
				t.Errorf("GenerateName(%q): only %d distinct names in 50 draws", tc.prefix, len(seen))
			}
		})
	}
}
