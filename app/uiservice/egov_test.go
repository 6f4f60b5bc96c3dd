package uiservice_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/backend/egov"
)

// An e-Gov application as a zip: shown (files, main values), signed with
// one VERIFY, and given back as a zip whose kousei.xml verifies.
func TestEgov(t *testing.T) {
	t.Setenv("HOME", t.TempDir()) // LocalFiles writes outputs under ~/Documents
	f := newFixture(t)
	src := "../../backend/egov/testdata/app"
	entries, _ := os.ReadDir(src)
	if len(entries) != 3 {
		t.Fatalf("fixture: %d files", len(entries))
	}
	zp := filepath.Join(t.TempDir(), "申請.zip")
	zf, _ := os.Create(zp)
	zw := zip.NewWriter(zf)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		w, _ := zw.Create("900A010200001000(1)/" + e.Name())
		w.Write(b)
	}
	zw.Close()
	zf.Close()
	v, err := f.svc.EgovOpen(zp)
	if err != nil || len(v.Files) != 2 || v.Folder != "900A010200001000(1)" || v.Digest == "" {
		t.Fatalf("open: %+v %v", v, err)
	}
	shown := false
	for _, fl := range v.Fields {
		shown = shown || fl.Value == "札幌公共職業安定所"
	}
	if !shown {
		t.Errorf("fields: %+v", v.Fields)
	}
	st := f.status(t)
	if _, err := f.svc.EgovSign(uiservice.EgovSignRequest{Guard: guard(st, "sign"), Ref: zp, Digest: "other", PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true}); apiErr(t, err).Code != "egov_changed" {
		t.Errorf("another digest: %v", err)
	}
	if tries(f.status(t), "sign") != 5 {
		t.Error("a try was used")
	}
	res, err := f.svc.EgovSign(uiservice.EgovSignRequest{Guard: guard(f.status(t), "sign"), Ref: zp, Digest: v.Digest, PIN: uiservice.Secret("TEST1234"), AcceptDisclosure: true})
	if err != nil || res.OutputName != "900A010200001000(1).signed.zip" || res.Files != 2 {
		t.Fatalf("sign: %+v %v", res, err)
	}
	dir, err := egov.Unzip(res.Output, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r, err := egov.Verify(dir)
	if err != nil || len(r.Signatures) != 1 || !r.Signatures[0].Intact() {
		t.Fatalf("verify: %+v %v", r, err)
	}
	if page, _ := f.svc.History(uiservice.HistoryQuery{}); len(page.Records) == 0 || page.Records[0].Kind != "sign_egov" {
		t.Errorf("history: %+v", page.Records)
	}
}
