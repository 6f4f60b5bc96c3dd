package pdfv

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
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
