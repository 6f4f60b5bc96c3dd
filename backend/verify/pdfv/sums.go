package pdfv

import (
	"crypto/sha256"
	"errors"
	"hash"
	"io"
)

// Sums is one SHA-256 pass over a whole file that serves every digest a
// verification needs: the file's own digest (for the report and the
// history) and the digest of each signature's ranges. The hash state is
// kept every step bytes, so the ranges [0, a) + [b, b+n) cost at most one
// step plus n bytes more: for a signature that is not the last one, n is
// the rest of its revision; for the last one, a few hundred bytes.
//
// A Sums is an io.ReaderAt over the file; given to Check in the file's
// place, it answers the SHA-256 range digests (other algorithms and odd
// ranges are hashed from the file as before). The pass runs in its own
// goroutine while the structure is read.
type Sums struct {
	r      io.ReaderAt
	size   int64
	step   int64
	done   chan struct{}
	states []hash.Hash // states[k]: after the first k*step bytes
	file   []byte
	err    error
}

// sumsRead is the size of the pass's reads: large and aligned.
const sumsRead = 4 << 20

// NewSums starts the pass over the size bytes of f.
func NewSums(f io.ReaderAt, size int64) *Sums {
	step := int64(1 << 20)
	for size/step > 4096 { // at most 4096 kept states
		step *= 2
	}
	s := &Sums{r: f, size: size, step: step, done: make(chan struct{})}
	go s.run()
	return s
}

func (s *Sums) run() {
	defer close(s.done)
	h := sha256.New()
	buf := make([]byte, min(sumsRead, max(s.step, 1)))
	if int64(len(buf)) > s.step {
		buf = buf[:s.step*(int64(len(buf))/s.step)]
	}
	for off := int64(0); off < s.size; {
		n, err := s.r.ReadAt(buf[:min(int64(len(buf)), s.size-off)], off)
		for p := buf[:n]; len(p) > 0; {
			if off%s.step == 0 {
				s.states = append(s.states, cloneHash(h))
			}
			k := min(int64(len(p)), s.step-off%s.step)
			h.Write(p[:k])
			p, off = p[k:], off+k
		}
		if err != nil && !(err == io.EOF && off == s.size) {
			s.err = err
			return
		}
		if n == 0 {
			s.err = io.ErrUnexpectedEOF
			return
		}
	}
	if s.size%s.step == 0 {
		s.states = append(s.states, cloneHash(h))
	}
	s.file = h.Sum(nil)
}

func cloneHash(h hash.Hash) hash.Hash {
	c, err := h.(hash.Cloner).Clone()
	if err != nil {
		panic(err) // crypto/sha256 always clones
	}
	return c
}

// ReadAt reads the file.
func (s *Sums) ReadAt(p []byte, off int64) (int, error) { return s.r.ReadAt(p, off) }

// File returns the SHA-256 of the whole file, once the pass is over.
func (s *Sums) File() ([]byte, error) {
	<-s.done
	if s.err != nil {
		return nil, s.err
	}
	return s.file, nil
}

var errNoRanges = errors.New("ranges not served by the pass")

// ranges returns the SHA-256 of [0, br[1]) followed by [br[2], br[2]+br[3]),
// from the state kept before br[1].
func (s *Sums) ranges(br []int64) ([]byte, error) {
	<-s.done
	if s.err != nil {
		return nil, s.err
	}
	if len(br) != 4 || br[0] != 0 || br[1] < 0 || br[1] > s.size || br[2] < br[1] || br[3] < 0 || br[2] > s.size-br[3] {
		return nil, errNoRanges
	}
	k := br[1] / s.step
	if k >= int64(len(s.states)) {
		return nil, errNoRanges
	}
	h := cloneHash(s.states[k])
	buf := make([]byte, 1<<20)
	for _, r := range [][2]int64{{k * s.step, br[1] - k*s.step}, {br[2], br[3]}} {
		if _, err := io.CopyBuffer(h, io.NewSectionReader(s.r, r[0], r[1]), buf); err != nil {
			return nil, err
		}
	}
	return h.Sum(nil), nil
}
