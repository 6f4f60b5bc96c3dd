package pades

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
)

// ErrChanged is returned when the PDF changed on disk between Open and the
// end of its copy: what would be signed is not the file that was read.
var ErrChanged = errors.New("the PDF changed on disk while it was being signed")

// Digests are the SHA-256 digests of one signature's input and output,
// taken in the same pass as the copy.
type Digests struct {
	Input  []byte // the original file
	Output []byte // the signed file as written
}

// hashRead is the size of the reads that hash the copy: large and aligned.
const hashRead = 4 << 20

// copyChunk is how much the kernel copies before that part is handed to the
// hash (a variable for tests).
var copyChunk int64 = 16 << 20

// kernelCopy is false in tests of the read-and-write copy.
var kernelCopy = true

// afterChunk, when set (tests), runs in the copier after each chunk with
// the number of bytes copied so far.
var afterChunk func(copied int64)

// SignFile writes the signed PDF into dst, an empty file: the kernel copies
// the original (copy_file_range, which is a reflink on file systems that
// share blocks) while the copy, read back from dst, is hashed; the update
// is appended after the card signed. One SHA-256 pass over the copy gives
// the document digest, the input's digest and the output's digest (the
// hash state at the end of the original is cloned). What is signed is what
// was written; a change to the original seen by the time the copy ends is
// refused with ErrChanged before sign is called, leaving dst as it was
// given apart from its length (the caller discards it).
func (d *Doc) SignFile(dst *os.File, opt Options, certLen int, sign func(digest []byte) ([]byte, error)) (Digests, error) {
	p, err := d.prepare(opt, certLen)
	if err != nil {
		return Digests{}, err
	}
	if err := d.unchanged(); err != nil {
		return Digests{}, err
	}
	h := sha256.New()
	if err := copyHashed(d.f, dst, d.size, h); err != nil {
		return Digests{}, err
	}
	// The copy is complete: the original must not have changed meanwhile.
	if err := d.unchanged(); err != nil {
		return Digests{}, err
	}
	in, out := clone(h), clone(h)
	ub := p.u.buf.Bytes()
	h.Write(ub[:p.contentsAt])
	h.Write(ub[p.contentsAt+p.contentsN+2:])
	sig, err := sign(h.Sum(nil))
	if err != nil {
		return Digests{}, err
	}
	if 2*len(sig) > p.contentsN {
		return Digests{}, fmt.Errorf("%w (%d bytes, room for %d)", ErrTooLarge, len(sig), p.contentsN/2)
	}
	copy(ub[p.contentsAt+1:], fmt.Sprintf("%X", sig))
	if _, err := dst.WriteAt(ub, d.size); err != nil {
		return Digests{}, err
	}
	out.Write(ub)
	return Digests{Input: in.Sum(nil), Output: out.Sum(nil)}, nil
}

func clone(h hash.Hash) hash.Hash {
	c, err := h.(hash.Cloner).Clone()
	if err != nil {
		panic(err) // crypto/sha256 always clones
	}
	return c
}

// copyHashed copies size bytes of src to dst (both from offset 0) in a
// goroutine, chunk by chunk, and hashes each chunk from dst once it is
// there. The copier stops at the first error of either side.
func copyHashed(src, dst *os.File, size int64, h hash.Hash) error {
	progress := make(chan int64, 1024)
	stop := make(chan struct{})
	var copyErr error
	go func() {
		defer close(progress)
		copyErr = copyFile(src, dst, size, copyChunk, stop, func(copied int64) {
			if afterChunk != nil {
				afterChunk(copied)
			}
			progress <- copied
		})
	}()
	buf := make([]byte, min(hashRead, max(size, 1)))
	var off int64
	var readErr error
	for avail := range progress {
		for readErr == nil && off < avail {
			n, err := dst.ReadAt(buf[:min(int64(len(buf)), avail-off)], off)
			h.Write(buf[:n])
			off += int64(n)
			if err != nil && !(err == io.EOF && off == avail) {
				readErr = err
			}
		}
		if readErr != nil {
			close(stop)
			for range progress {
			}
			return readErr
		}
	}
	if copyErr != nil {
		return copyErr
	}
	if off != size {
		return ErrChanged
	}
	return nil
}

// copyPlain copies with read and write, where the kernel cannot copy.
func copyPlain(src, dst *os.File, from, size, chunk int64, stop <-chan struct{}, done func(int64)) error {
	buf := make([]byte, min(chunk, hashRead, max(size-from, 1)))
	for off := from; off < size; {
		select {
		case <-stop:
			return errors.New("copy stopped")
		default:
		}
		end := min(size, off+chunk)
		for off < end {
			n, err := src.ReadAt(buf[:min(int64(len(buf)), end-off)], off)
			if n > 0 {
				if _, werr := dst.WriteAt(buf[:n], off); werr != nil {
					return werr
				}
				off += int64(n)
			}
			if err == io.EOF {
				return ErrChanged // the file is shorter than when it was opened
			}
			if err != nil {
				return err
			}
		}
		done(off)
	}
	return nil
}
