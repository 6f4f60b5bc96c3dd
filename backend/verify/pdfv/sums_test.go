package pdfv

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"reflect"
	"testing"
)

// The one pass's digests equal hashing the bytes directly: the whole file,
// and ranges whose gap starts on, just before and just after a kept state,
// at the start and at the end, for sizes on and off the step; ranges that
// do not start at 0 or leave the file are not served (hashed as before).
func TestSums(t *testing.T) {
	d0 := sha256.Sum256(nil)
	for _, size := range []int64{0, 1, 2 << 20, 2<<20 + 12345, 5<<20 - 1} {
		data := make([]byte, size)
		rand.Read(data)
		s := NewSums(bytes.NewReader(data), size)
		d, err := s.File()
		if want := sha256.Sum256(data); err != nil || !bytes.Equal(d, want[:]) {
			t.Fatalf("size %d: file digest %x, %v", size, d, err)
		}
		if size == 0 {
			if d, err := s.ranges([]int64{0, 0, 0, 0}); err != nil || !bytes.Equal(d, d0[:]) {
				t.Errorf("empty file: %x, %v", d, err)
			}
			continue
		}
		var cases [][]int64
		for _, a := range []int64{1, 1<<20 - 1, 1 << 20, 1<<20 + 1, 2 << 20, size - 1, size} {
			if a > size {
				continue
			}
			for _, gap := range []int64{0, 1, 1000} {
				b := min(size, a+gap)
				cases = append(cases, []int64{0, a, b, size - b}, []int64{0, a, b, (size - b) / 2})
			}
		}
		if len(cases) < 10 {
			t.Fatalf("size %d: only %d cases", size, len(cases))
		}
		for _, br := range cases {
			got, err := s.ranges(br)
			h := sha256.New()
			h.Write(data[:br[1]])
			h.Write(data[br[2] : br[2]+br[3]])
			if err != nil || !bytes.Equal(got, h.Sum(nil)) {
				t.Errorf("size %d, ranges %v: %x, %v", size, br, got, err)
			}
		}
		for _, br := range [][]int64{{1, 2, 3, 4}, {0, size + 1, size + 1, 0}, {0, 1, 2, size}, {0, 2, 1, 0}, {0, 1}} {
			if _, err := s.ranges(br); err != errNoRanges {
				t.Errorf("size %d, ranges %v served: %v", size, br, err)
			}
		}
	}
}

// The pass's header scan finds exactly what the scan that reads the file
// for itself finds: headers and "trailer" keywords across, on and beside
// window boundaries, at the start and at the end of the file, and the
// limit on headers.
func TestSumsHeaders(t *testing.T) {
	type plain struct{ io.ReaderAt } // not a *Sums: the doc reads for itself
	put := func(data []byte, at int, s string) {
		if at >= 0 && at+len(s) <= len(data) {
			copy(data[at:], s)
		}
	}
	type layout struct{ size, d int }
	cases := []layout{{0, 0}, {5, 0}, {headerStep, 0}, {headerStep + 1, 0}}
	for _, d := range []int{-12, -9, -8, -7, -6, -5, -3, 0, 1, 50, 58, 59, 60, 64, 70} {
		cases = append(cases, layout{2*headerStep + headerOverlap + d, d}, layout{3*headerStep - 7 + d, d})
	}
	for _, c := range cases {
		size := c.size
		data := make([]byte, size)
		rand.Read(data)
		put(data, 0, "1 0 obj ")
		for _, b := range []int{headerStep, 2 * headerStep} {
			put(data, b+c.d, "\n12 0 obj\n") // "obj" at b+d+4
			put(data, b-200, "trailer ")
			put(data, b+c.d-20, "trailer")
			put(data, b+100, "\n7 0 obj<<")
		}
		put(data, size-8, "\n3 1 obj")
		put(data, size-7, "trailer")
		s := NewSums(bytes.NewReader(data), int64(size))
		got, gotTr, err := newDoc(s, int64(size)).headers(int64(size))
		if err != nil {
			t.Fatal(err)
		}
		want, wantTr, _ := newDoc(plain{bytes.NewReader(data)}, int64(size)).headers(int64(size))
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotTr, wantTr) {
			t.Errorf("%+v: the pass found %v %v, the scan %v %v", c, got, gotTr, want, wantTr)
		}
		// (A header whose "obj" begins within two bytes before a window's
		// end, or just after it, is missed by both: its digits lie in
		// the window before.)
		if size > 2*headerStep && len(want) < 2 {
			t.Errorf("%+v: only %d headers found", c, len(want))
		}
		if _, err := s.File(); err != nil {
			t.Fatal(err)
		}
	}
	// More headers than are collected: the same refusal.
	many := bytes.Repeat([]byte("1 0 obj "), maxHeaders+1)
	if _, _, err := newDoc(NewSums(bytes.NewReader(many), int64(len(many))), int64(len(many))).headers(int64(len(many))); err != errLimit {
		t.Errorf("%d headers: %v", maxHeaders+1, err)
	}
}

// A pass that cannot read the file leaves the scan to the doc, which then
// reads for itself; the digests fail.
func TestSumsReadError(t *testing.T) {
	data := bytes.Repeat([]byte("\n1 0 obj\n"), 300000)
	s := NewSums(failAfter{bytes.NewReader(data), headerStep}, int64(len(data)))
	if _, err := s.File(); err == nil {
		t.Fatal("a failed read gave a digest")
	}
	if _, err := s.ranges([]int64{0, 1, 2, 3}); err == nil {
		t.Fatal("a failed read gave a range digest")
	}
	if _, _, _, ok := s.headers(); ok {
		t.Fatal("a failed read gave a scan")
	}
}

// failAfter fails every read past n.
type failAfter struct {
	r io.ReaderAt
	n int64
}

func (f failAfter) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.n {
		return 0, io.ErrUnexpectedEOF
	}
	return f.r.ReadAt(p, off)
}
