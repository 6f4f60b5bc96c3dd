package verify_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
	"github.com/shomei-app/shomei/backend/verify"
	"github.com/shomei-app/shomei/backend/verify/pdfv"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// The one pass (digests of the file and of every signature's ranges, and
// the scan for object headers, from the same reads) misses no change: in a
// PDF of several read windows signed twice, a byte changed at the start,
// at the end, on each side of a window boundary and in the middle of each
// signed range of each signature makes every signature covering it not
// intact, and the file is not PASSED.
func TestOnePassSeesEveryChangedByte(t *testing.T) {
	g, _ := vcardtest.Signer(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "big.pdf")
	if err := pdftest.WriteBig(in, 2<<20+1000); err != nil {
		t.Fatal(err)
	}
	sign := func(in string) string {
		res := signing.Files(context.Background(), g, []string{in}, signing.Options{}, nil)
		if res[0].Err != nil {
			t.Fatal(res[0].Err)
		}
		return res[0].Output
	}
	two := sign(sign(in))
	good, err := os.ReadFile(two)
	if err != nil {
		t.Fatal(err)
	}
	r, err := verify.File(two, verify.Options{Trust: testRoot(t)})
	if err != nil || !r.Passed() || len(r.Signatures) != 2 {
		t.Fatalf("the file as signed: %v %+v", err, r)
	}
	f, _ := os.Open(two)
	sigs, err := pdfv.Find(f, int64(len(good)))
	f.Close()
	if err != nil || len(sigs) != 2 {
		t.Fatalf("%d signatures, %v", len(sigs), err)
	}
	covers := func(br []int64, off int64) bool {
		return off < br[1] || (off >= br[2] && off < br[2]+br[3])
	}
	offsets := map[int64]bool{}
	for _, s := range sigs {
		br := s.ByteRange
		for _, rg := range [][2]int64{{br[0], br[0] + br[1]}, {br[2], br[2] + br[3]}} {
			for _, off := range []int64{rg[0], rg[1] - 1, (rg[0] + rg[1]) / 2, 1<<20 - 1, 1 << 20, 2<<20 - 1, 2 << 20} {
				if off >= rg[0] && off < rg[1] {
					offsets[off] = true
				}
			}
		}
	}
	bad := filepath.Join(dir, "bad.pdf")
	judged := 0 // changes after which both signatures were still found
	for off := range offsets {
		b := append([]byte(nil), good...)
		b[off] ^= 0x01
		if err := os.WriteFile(bad, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := verify.File(bad, verify.Options{Trust: testRoot(t)})
		if err != nil {
			continue // unreadable: no verdict at all
		}
		if r.Passed() {
			t.Errorf("byte %d changed: PASSED", off)
		}
		if len(r.Signatures) != len(sigs) {
			continue // the structure itself was broken
		}
		judged++
		for i, s := range sigs {
			if covers(s.ByteRange, off) && r.Signatures[i].Intact {
				t.Errorf("byte %d changed: signature %d (ranges %v) still intact", off, i+1, s.ByteRange)
			}
		}
	}
	if len(offsets) < 12 || judged < len(offsets)/2 {
		t.Fatalf("%d offsets tried, %d judged signature by signature", len(offsets), judged)
	}
	t.Logf("%d offsets tried, %d judged signature by signature", len(offsets), judged)
}

// A file written to while it is verified gets no verdict (ErrChanged), even
// when the write keeps its bytes, or changes only bytes read already.
func TestWrittenDuringVerify(t *testing.T) {
	pdf, p7s, _ := signed(t, signing.Options{})
	for _, path := range []string{pdf, p7s} {
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rewrite := func(off int64, b []byte) {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteAt(b, off); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
		cases := map[string]func(){
			"the same byte again":    func() { rewrite(10, orig[10:11]) },
			"a byte read already":    func() { rewrite(10, []byte{orig[10] ^ 0x01}) },
			"bytes appended":         func() { rewrite(int64(len(orig)), []byte("\n% more\n")) },
			"cut short":              func() { os.Truncate(path, int64(len(orig)-100)) },
			"replaced with the same": func() { os.WriteFile(path, orig, 0o644) },
		}
		for name, write := range cases {
			undo := verify.SetAfterRead(func(string) { write() })
			r, err := verify.File(path, verify.Options{Trust: testRoot(t)})
			undo()
			if !errors.Is(err, verify.ErrChanged) || r != nil {
				t.Errorf("%s, %s: %v %+v", filepath.Base(path), name, err, r)
			}
			if err := os.WriteFile(path, orig, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// Left alone, the same file passes.
		if r, err := verify.File(path, verify.Options{Trust: testRoot(t)}); err != nil || !r.Passed() {
			t.Errorf("%s untouched: %v %+v", filepath.Base(path), err, r)
		}
	}
}
