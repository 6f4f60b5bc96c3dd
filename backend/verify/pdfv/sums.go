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
// the rest of its revision; for the last one, a few hundred bytes. The
// same reads also serve the scan for object headers over the whole file
// (repair.go), so the file is read once.
//
// A Sums is an io.ReaderAt over the file; given to Check in the file's
// place, it answers the SHA-256 range digests (other algorithms and odd
// ranges are hashed from the file as before) and the whole file's header
// scan. The pass runs while the structure is read: one goroutine reads
// the file and scans each window for headers while it is fresh in the
// cache, another hashes the windows read.
type Sums struct {
	r      io.ReaderAt
	size   int64
	step   int64
	done   chan struct{}
	states []hash.Hash // states[k]: after the first k*step bytes
	file   []byte
	err    error

	scanned  chan struct{} // closed when the header scan is over
	scanOK   bool          // the scan read every window
	hs       []header
	trailers []int64
	scanErr  error
}

// sumsBuffers is how many windows the reader may be ahead of the hash.
const sumsBuffers = 3

// NewSums starts the pass over the size bytes of f.
func NewSums(f io.ReaderAt, size int64) *Sums {
	step := int64(headerStep) // a multiple of the window, so a kept state starts one
	for size/step > 4096 {    // at most 4096 kept states
		step *= 2
	}
	s := &Sums{r: f, size: size, step: step, done: make(chan struct{}), scanned: make(chan struct{})}
	go s.run()
	return s
}

type window struct {
	base int64
	back int    // the look-back: buf[back] is at base
	buf  []byte // up to headerBack bytes before base, headerStep+headerOverlap from it, never past the end
}

func (s *Sums) run() {
	defer close(s.done)
	free := make(chan []byte, sumsBuffers)
	for range sumsBuffers {
		free <- make([]byte, headerBack+headerStep+headerOverlap)
	}
	full := make(chan window, sumsBuffers)
	var rerr error
	go func() {
		defer close(full)
		scanning := true
		defer func() {
			s.scanOK = rerr == nil
			close(s.scanned)
		}()
		for base := int64(0); base < s.size; base += headerStep {
			back := min(base, headerBack)
			buf := (<-free)[:back+min(headerStep+headerOverlap, s.size-base)]
			n, err := s.r.ReadAt(buf, base-back)
			if n < len(buf) {
				if err == nil {
					err = io.ErrUnexpectedEOF
				}
				rerr = err
				return
			}
			if scanning {
				if s.hs, s.trailers, s.scanErr = scanWindow(buf, int(back), base, s.size, s.hs, s.trailers); s.scanErr != nil {
					s.hs, s.trailers, scanning = nil, nil, false
				}
			}
			full <- window{base, int(back), buf}
		}
	}()
	h := sha256.New()
	for w := range full {
		p := w.buf[w.back:][:min(headerStep, len(w.buf)-w.back)]
		if w.base%s.step == 0 {
			s.states = append(s.states, cloneHash(h))
		}
		h.Write(p)
		free <- w.buf[:cap(w.buf)]
	}
	if rerr != nil { // set before full was closed
		s.err = rerr
		return
	}
	if s.size%s.step == 0 {
		s.states = append(s.states, cloneHash(h))
	}
	s.file = h.Sum(nil)
}

// headers is the header scan of the whole file, once the reads are over;
// ok is false when a read failed (then the caller reads for itself).
func (s *Sums) headers() (hs []header, trailers []int64, err error, ok bool) {
	<-s.scanned
	return s.hs, s.trailers, s.scanErr, s.scanOK
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
