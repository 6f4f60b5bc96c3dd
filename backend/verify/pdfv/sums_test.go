package pdfv

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"reflect"
	"slices"
	"strings"
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

// refHeaders is the header scan in one piece: every "obj" of data, read
// back as backDigits reads it (the windows must find the same).
func refHeaders(data []byte) (hs []header, trailers []int64, err error) {
	for at := 0; at+3 <= len(data); at++ {
		if string(data[at:at+3]) != "obj" || at+3 < len(data) && !isSpace(data[at+3]) && !isDelim(data[at+3]) {
			continue
		}
		num, gen, start, ok, long := backDigits(data, at)
		if long {
			return nil, nil, errHeaderSpace
		}
		if ok {
			hs = append(hs, header{num, gen, int64(start)})
		}
	}
	for at := 0; at+7 <= len(data); at++ {
		if string(data[at:at+7]) == "trailer" {
			trailers = append(trailers, int64(at))
		}
	}
	return hs, trailers, nil
}

// The pass's header scan finds exactly what the scan that reads the file
// for itself finds, and both what one scan of the whole file finds:
// headers and "trailer" keywords across, on and beside window boundaries
// (every byte of a header, its numbers of several digits, its runs of
// white space up to the longest, at the boundary), at the start and at
// the end of the file, and the limit on headers.
func TestSumsHeaders(t *testing.T) {
	type plain struct{ io.ReaderAt } // not a *Sums: the doc reads for itself
	put := func(data []byte, at int, s string) {
		if at >= 0 && at+len(s) <= len(data) {
			copy(data[at:], s)
		}
	}
	long := strings.Repeat(" ", maxHeaderSpace)
	heads := []string{"\n12 0 obj\n", "\n1234567890 65535 obj<<", ">4\t\r\n\f\x000 obj[", "\n7" + long + "12" + long + "obj ", "(9 0 obj)"}
	type layout struct {
		size, d int
		head    string
	}
	cases := []layout{{0, 0, ""}, {5, 0, ""}, {headerStep, 0, ""}, {headerStep + 1, 0, ""}}
	for _, d := range []int{-12, -9, -8, -7, -6, -5, -3, 0, 1, 50, 58, 59, 60, 64, 70} {
		cases = append(cases, layout{2*headerStep + headerOverlap + d, d, heads[0]}, layout{3*headerStep - 7 + d, d, heads[0]})
	}
	for _, h := range heads {
		for d := -len(h); d <= 1; d++ {
			// Every byte at the boundary; of the longest header, the
			// bytes around its numbers.
			if len(h) < 20 || d < -len(h)+14 || d > -270 && d < -250 || d > -14 {
				cases = append(cases, layout{3*headerStep - 7, d, h})
			}
		}
	}
	for _, c := range cases {
		size := c.size
		data := make([]byte, size)
		rand.Read(data)
		// No stray header in the random bytes.
		for i := range data {
			if data[i] == 'o' {
				data[i] = 'p'
			}
		}
		put(data, 0, "1 0 obj ")
		for _, b := range []int{headerStep, 2 * headerStep} {
			put(data, b-200, "trailer ")
			put(data, b+c.d-20, "trailer")
			put(data, b+700, "\n7 0 obj<<")
			put(data, b+c.d, c.head)
		}
		put(data, size-8, "\n3 1 obj")
		put(data, size-7, "trailer")
		s := NewSums(bytes.NewReader(data), int64(size))
		got, gotTr, err := newDoc(s, int64(size)).headers(int64(size))
		if err != nil {
			t.Fatalf("%d %q: %v", c.d, c.head, err)
		}
		want, wantTr, _ := newDoc(plain{bytes.NewReader(data)}, int64(size)).headers(int64(size))
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotTr, wantTr) {
			t.Errorf("%+v: the pass found %v %v, the scan %v %v", c, got, gotTr, want, wantTr)
		}
		ref, refTr, _ := refHeaders(data)
		if !reflect.DeepEqual(want, ref) || !reflect.DeepEqual(wantTr, refTr) {
			t.Errorf("%d %q: the windows found %v %v, one scan %v %v", c.d, c.head, want, wantTr, ref, refTr)
		}
		for _, b := range []int{headerStep, 2 * headerStep} {
			if c.head == "" || b+c.d+len(c.head) > size {
				continue
			}
			if !slices.ContainsFunc(want, func(h header) bool { return h.off >= int64(b+c.d) && h.off < int64(b+c.d+len(c.head)) }) {
				t.Errorf("%d %q: the header at %d not found: %v", c.d, c.head, b, want)
			}
		}
		if _, err := s.File(); err != nil {
			t.Fatal(err)
		}
	}
	// More headers than are collected, a run of white space longer than
	// is read (at a boundary and not): the same refusal.
	many := bytes.Repeat([]byte("1 0 obj "), maxHeaders+1)
	if _, _, err := newDoc(NewSums(bytes.NewReader(many), int64(len(many))), int64(len(many))).headers(int64(len(many))); err != errLimit {
		t.Errorf("%d headers: %v", maxHeaders+1, err)
	}
	for _, at := range []int{100, headerStep - 5, headerStep - 300, headerStep + 2} {
		for _, h := range []string{"\n7 0" + long + " obj ", "\n7" + long + " 0 obj "} {
			data := bytes.Repeat([]byte("x"), 2*headerStep)
			put(data, at, h)
			for _, f := range []io.ReaderAt{NewSums(bytes.NewReader(data), int64(len(data))), plain{bytes.NewReader(data)}} {
				if _, _, err := newDoc(f, int64(len(data))).headers(int64(len(data))); err != errHeaderSpace {
					t.Errorf("%d: a run of %d: %v", at, maxHeaderSpace+1, err)
				}
			}
		}
	}
}

// FuzzHeaderScan: bytes the fuzzer picks, laid across the first window
// edge (k of them before it) in a file of the byte fill: the pass, the
// scan that reads for itself and one scan of the whole file find the same
// headers and "trailer" keywords, or fail alike.
func FuzzHeaderScan(f *testing.F) {
	long := strings.Repeat(" ", maxHeaderSpace)
	f.Add([]byte("\n93 0 obj\n"), 5, byte('x'))
	f.Add([]byte("\n93 0 obj\n"), 2, byte('\n'))
	f.Add([]byte("1234567890 65535 obj<<trailer"), 12, byte('7'))
	f.Add([]byte("\n7"+long+"12"+long+"obj "), 260, byte('x'))
	f.Add([]byte("\n7"+long+" 12 obj "), 3, byte('x'))
	f.Add([]byte("obj "), 2, byte(0))
	f.Fuzz(func(t *testing.T, b []byte, k int, fill byte) {
		if len(b) > 4096 {
			b = b[:4096]
		}
		k = int(uint(k) % uint(len(b)+1))
		data := bytes.Repeat([]byte{fill}, headerStep+len(b)+100)
		copy(data[headerStep-k:], b)
		type plain struct{ io.ReaderAt }
		size := int64(len(data))
		hs1, tr1, err1 := newDoc(NewSums(bytes.NewReader(data), size), size).headers(size)
		hs2, tr2, err2 := newDoc(plain{bytes.NewReader(data)}, size).headers(size)
		hs3, tr3, err3 := refHeaders(data)
		if err3 == nil && len(hs3) > maxHeaders {
			err3, hs3, tr3 = errLimit, nil, nil
		}
		if err1 != err3 || err2 != err3 || !reflect.DeepEqual(hs1, hs3) || !reflect.DeepEqual(hs2, hs3) || !reflect.DeepEqual(tr1, tr3) || !reflect.DeepEqual(tr2, tr3) {
			t.Fatalf("pass %v %v %v, scan %v %v %v, whole %v %v %v", hs1, tr1, err1, hs2, tr2, err2, hs3, tr3, err3)
		}
	})
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
