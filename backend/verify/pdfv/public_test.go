package pdfv_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

// Public PDFs from pyHanko's and EU DSS's own suites (testdata/public):
// Shomei's verdict on each is the one expected.tsv records, and it agrees
// with what the source project's test expects except where a note says
// why not. The agreement is counted.
func TestPublicSuites(t *testing.T) {
	dir := filepath.Join("testdata", "public")
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	ok := func(v string) bool { return v == pdfv.ChangesNone || v == pdfv.ChangesAllowed }
	var n, agree, bottom int
	var differ []string
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		name, theirs, ours, notes := col[0], col[2], col[3], col[4]
		n++
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := pdfv.Check(strings.NewReader(string(b)), int64(len(b)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := pdfv.Verdict(sigs)
		if got != ours {
			t.Errorf("%s: verdict %s, expected.tsv says %s", name, got, ours)
			for _, s := range sigs {
				for _, c := range s.Changes.List {
					t.Logf("  sig %d: %s allowed=%v %s", s.Object, c.Kind, c.Allowed, c.Detail)
				}
			}
		}
		if got == theirs {
			agree++
		} else {
			if !strings.Contains(notes, "DISAGREE") {
				t.Errorf("%s: %s where the source expects %s, and no note says why", name, got, theirs)
			}
			differ = append(differ, name+": "+notes)
		}
		if ok(got) == ok(theirs) {
			bottom++
		}
	}
	if n < 25 {
		t.Fatalf("only %d files", n)
	}
	t.Logf("%d files: verdict agrees on %d, bottom line (acceptable or not) on %d", n, agree, bottom)
	for _, d := range differ {
		t.Logf("disagreement: %s", d)
	}
}
