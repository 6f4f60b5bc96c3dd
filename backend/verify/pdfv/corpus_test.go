package pdfv_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/pdfv"
)

const corpus = "../../../../shared/corpus"

// Every corpus PDF gets the expected number of signatures and, per
// signature, the expected intact and whole-file verdicts, and the file's
// change verdict (column "tamper"). "?" may go either way.
func TestCorpus(t *testing.T) {
	f, err := os.Open(filepath.Join(corpus, "expected.tsv"))
	if err != nil {
		t.Skip("shared corpus not found")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	sc.Scan()
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		name, nsigs, intact, whole, tamper := col[0], col[2], col[3], col[4], col[5]
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(corpus, name)
			file, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer file.Close()
			st, _ := file.Stat()
			sigs, err := pdfv.Check(file, st.Size())
			if err != nil {
				t.Fatal(err)
			}
			var gotI, gotW []string
			for _, s := range sigs {
				for _, c := range s.Changes.List {
					t.Logf("  obj %d change %s allowed=%v: %s", s.Object, c.Kind, c.Allowed, c.Detail)
				}
				gotI = append(gotI, b01(s.Intact))
				gotW = append(gotW, b01(s.Whole))
				t.Logf("obj %d %s end=%d intact=%v whole=%v problems=%v", s.Object, s.SubFilter, s.SignedEnd, s.Intact, s.Whole, s.Problems)
			}
			if nsigs != "" && len(sigs) != atoi(nsigs) {
				t.Fatalf("%d signatures, want %s", len(sigs), nsigs)
			}
			compare(t, "intact", strings.Split(intact, ","), gotI)
			compare(t, "whole", strings.Split(whole, ","), gotW)
			if got := pdfv.Verdict(sigs); tamper != "?" && got != tamper {
				t.Errorf("changes: got %s, want %s", got, tamper)
			}
		})
	}
}

func compare(t *testing.T, what string, want, got []string) {
	t.Helper()
	for i := range want {
		if i >= len(got) || want[i] == "?" {
			continue
		}
		if want[i] != got[i] {
			t.Errorf("%s: got %v, want %v", what, got, want)
			return
		}
	}
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
