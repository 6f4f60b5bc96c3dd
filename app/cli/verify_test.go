package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/history"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

type verifyJSON struct {
	Files []struct {
		File       string `json:"file"`
		SHA256     string `json:"sha256"`
		Indication string `json:"indication"`
		Signatures []struct {
			Intact          bool   `json:"intact"`
			CoversWholeFile bool   `json:"covers_whole_file"`
			ChangesAfter    string `json:"changes_after"`
			Indication      string `json:"indication"`
			Subindication   string `json:"subindication"`
			Signer          *struct {
				Name string `json:"name"`
				JPKI struct {
					Test bool `json:"test"`
				} `json:"jpki"`
			} `json:"signer"`
			SigningTime *struct {
				Source string `json:"source"`
			} `json:"signing_time"`
			Timestamp   *json.RawMessage `json:"timestamp"`
			TrustAnchor *struct {
				Name   string `json:"name"`
				Source string `json:"source"`
				Test   bool   `json:"test"`
			} `json:"trust_anchor"`
			Revocation struct {
				Status string `json:"status"`
			} `json:"revocation"`
			Errors   []json.RawMessage `json:"errors"`
			Sentence struct {
				JA, EN string
			} `json:"sentence"`
		} `json:"signatures"`
	} `json:"files"`
	Passed bool `json:"passed"`
}

func verifyRun(t *testing.T, args ...string) (run, verifyJSON) {
	t.Helper()
	r := shomei(t, i18n.EN, nil, append([]string{"verify", "--json"}, args...)...)
	var v verifyJSON
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("verify --json %v: %v\n%s\n%s", args, err, r.stdout, r.stderr)
	}
	return r, v
}

// shomei verify on what the virtual card signed: exit 0 and PASSED with the
// test root trusted (stored, or given with --trust), exit 1 and
// NO_CERTIFICATE_CHAIN_FOUND without; every documented JSON field is there;
// the history keeps the verdict; --extract-revision writes the signed bytes.
func TestVerifyCommand(t *testing.T) {
	dataDir(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	pdftest.Minimal(t, in, 1, false)
	g, _ := vcardtest.Signer(t)
	res := signing.Files(context.Background(), g, []string{in}, signing.Options{}, nil)
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	pdf := res[0].Output
	root := filepath.Join(dir, "root.pem")
	os.WriteFile(root, vcardtest.State(t).RootPEM(), 0o644)

	r, v := verifyRun(t, pdf)
	if r.code != 3 || v.Passed || v.Files[0].Signatures[0].Indication != "INDETERMINATE" || v.Files[0].Signatures[0].Subindication != "NO_CERTIFICATE_CHAIN_FOUND" {
		t.Fatalf("untrusted: %d %+v", r.code, v)
	}
	r, v = verifyRun(t, "--trust", root, pdf)
	if r.code != 0 || !v.Passed {
		t.Fatalf("--trust: %d %+v %s", r.code, v, r.stderr)
	}
	if r := shomei(t, i18n.EN, nil, "trust", "add", root, "--label", "virtual card"); r.code != 0 {
		t.Fatalf("trust add: %+v", r)
	}
	r, v = verifyRun(t, pdf)
	s := v.Files[0].Signatures[0]
	if r.code != 0 || !s.Intact || !s.CoversWholeFile || s.ChangesAfter != "none" || s.Indication != "PASSED" || s.Subindication != "" ||
		s.Signer == nil || s.Signer.Name != "署名 花子" || !s.Signer.JPKI.Test || s.SigningTime == nil || s.SigningTime.Source != "/M" ||
		s.Timestamp != nil || s.TrustAnchor == nil || s.TrustAnchor.Name != "virtual card" || !s.TrustAnchor.Test ||
		s.Revocation.Status != "not_checked" || s.Errors == nil || s.Sentence.JA == "" || len(v.Files[0].SHA256) != 64 {
		t.Fatalf("stored trust: %d %+v", r.code, s)
	}
	if r, v := verifyRun(t, "--no-stored-trust", pdf); r.code != 3 || v.Files[0].Indication != "INDETERMINATE" {
		t.Fatalf("--no-stored-trust: %d %+v", r.code, v)
	}

	// Human output: the verdict and the sentence, in the user's language.
	h := shomei(t, i18n.JA, nil, "verify", pdf)
	if h.code != 0 || !strings.Contains(h.stdout, "有効 (PASSED)") || !strings.Contains(h.stdout, "署名 花子 の署名は有効です") || !strings.Contains(h.stdout, "[TEST]") {
		t.Fatalf("human output:\n%s", h.stdout)
	}

	// A tampered copy fails with exit 1.
	raw, _ := os.ReadFile(pdf)
	bad := filepath.Join(dir, "bad.pdf")
	os.WriteFile(bad, bytes.Replace(raw, []byte("Shomei test page 1"), []byte("Shomei test page 2"), 1), 0o644)
	if r, v := verifyRun(t, pdf, bad); r.code != 1 || v.Files[0].Indication != "PASSED" || v.Files[1].Signatures[0].Subindication != "HASH_FAILURE" {
		t.Fatalf("tampered: %d %+v", r.code, v)
	}

	// The history has each verification's verdict, and no certificate.
	path, _ := history.Path()
	st, err := history.Open(path, history.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.List(history.Query{Kinds: []string{history.KindVerify}})
	st.Close()
	if err != nil || len(page.Events) < 6 || page.Events[0].Outcome != "failed" || page.Events[1].Outcome != "passed" {
		t.Fatalf("history: %v %+v", err, page.Events)
	}

	// The revision a later signature builds on.
	res = signing.Files(context.Background(), g, []string{pdf}, signing.Options{OutDir: t.TempDir()}, nil)
	two := res[0].Output
	out := filepath.Join(dir, "signed-revision.pdf")
	if r := shomei(t, i18n.EN, nil, "verify", "--extract-revision", "1", two, "--out", out); r.code != 0 {
		t.Fatalf("extract: %+v", r)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, raw) {
		t.Fatal("the extracted revision is not the signed file")
	}
	if r := shomei(t, i18n.EN, nil, "verify", "--extract-revision", "1", two, "--out", out); r.code != 1 || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("an existing output: %+v", r)
	}
	if r := shomei(t, i18n.EN, nil, "verify"); r.code != 2 {
		t.Fatalf("no file: %+v", r)
	}
}
