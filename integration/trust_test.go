package integration

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// `shomei trust from-card` through pcscd reads the virtual card's CA
// certificates, refuses its test root as a J-LIS root and says how to add
// it; following that advice makes it a TEST anchor of the user's own.
func TestTrustFromCard(t *testing.T) {
	need(t)
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	state := filepath.Join(t.TempDir(), "card")
	startVCard(t, state)

	r := shomei(t, "", "trust", "from-card", "--reader", readerCLI)
	if r.code != 1 || strings.Count(r.stderr, "a test root") != 2 || !strings.Contains(r.stderr, "shomei vcard export-root") {
		t.Fatalf("from-card: %+v", r)
	}
	root := filepath.Join(t.TempDir(), "test-root.pem")
	if r := shomei(t, "", "vcard", "export-root", "--state", state, "--out", root); r.code != 0 {
		t.Fatalf("export-root: %+v", r)
	}
	if r := shomei(t, "", "trust", "add", root, "--label", "virtual card"); r.code != 0 || !strings.Contains(r.stderr, "your own decision") {
		t.Fatalf("add: %+v", r)
	}
	r = shomei(t, "", "trust", "list", "--json")
	var l struct {
		User []struct{ Label, Kind string } `json:"user"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &l) != nil || len(l.User) != 1 || l.User[0].Kind != "TEST" || l.User[0].Label != "virtual card" {
		t.Errorf("list: %+v", r)
	}
}
