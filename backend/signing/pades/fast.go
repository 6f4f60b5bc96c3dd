package pades

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"
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

// copyChunk is the size of each read, hash and write of the copy: large, and
// a multiple of the 4 KB alignment of direct I/O (a variable for tests).
var copyChunk int64 = 8 << 20

// copyBufs is how many buffers of copyChunk bytes go round between the
// reader, the hash and the writers (32 MB for a large file); copyWriters is
// how many writes are in flight at once (one 8 MB direct write at a time
// left the disk idle between them).
const (
	copyBufs    = 4
	copyWriters = 2
)

// dioAlign is the alignment of buffers, offsets and lengths for direct I/O.
const dioAlign = 4096

// directIO is false in tests of the copy through the page cache.
var directIO = true

// afterChunk, when set (tests), runs in the reader after each chunk was
// read, with the number of bytes read so far.
var afterChunk func(copied int64)

// SignFile writes the signed PDF into dst, an empty file: the original is
// read once, chunk by chunk, each chunk hashed and then written to dst from
// the same buffer (direct I/O where the file system allows it: no second
// copy in the page cache, no write-back competing with the hash), the
// reads, the hash and the writes overlapping; the update is appended after the card signed. One
// SHA-256 pass gives the document digest, the input's digest and the
// output's digest (the hash state at the end of the original is cloned).
// What is signed is what was written; a change to the original seen by the
// time the copy ends is refused with ErrChanged before sign is called,
// leaving dst as it was given apart from its length and content (the
// caller discards it).
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

// copyHashed copies size bytes of src to dst (both from offset 0) and
// hashes them, in one pass and three stages that overlap: a reader
// goroutine reads each chunk into a free buffer, this goroutine hashes the
// chunks in order, and copyWriters writer goroutines write them to the same
// offsets of dst and give the buffers back. On two cores the hash has one
// to itself; the reads (a copy out of the page cache) and the writes run
// beside it.
//
// Why the digest is the digest of what was written: each byte is read from
// src once, into a buffer that is hashed and then written from that very
// buffer, which is not reused before its write returned. What the hash saw
// is what dst holds (the first size bytes; the caller fsyncs before it
// renames). The bytes are those of src as it was read; if src changed after
// Open (before, during or between the reads, even rewritten with the same
// bytes), the caller's change watch (inotify IN_MODIFY, size, change times,
// inode: internal/fwatch), asked after the last chunk, refuses the
// signature; a src cut short is a short read here (ErrChanged). The PDF
// structure behind the update was read after Open too, so one check at the
// end covers both.
func copyHashed(src, dst *os.File, size int64, h hash.Hash) error {
	chunk := max(min(copyChunk, roundUp(size, dioAlign)), 1)
	nbuf := int(min(copyBufs, max((size+chunk-1)/chunk, 1)))
	wasDirect := directIO && size >= dioAlign && setDirect(dst)
	var direct atomic.Bool
	direct.Store(wasDirect)
	type block struct {
		b   []byte
		off int64
	}
	free := make(chan []byte, nbuf)
	for range nbuf {
		free <- newBuf(int(chunk))
	}
	read, full := make(chan block, nbuf), make(chan block, nbuf)
	var (
		mu       sync.Mutex
		firstErr error
		failed   atomic.Bool
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		failed.Store(true)
	}
	go func() {
		defer close(read)
		for off := int64(0); off < size && !failed.Load(); {
			b := <-free
			b = b[:min(int64(len(b)), size-off)]
			n, err := src.ReadAt(b, off)
			if n < len(b) {
				if err == nil || err == io.EOF {
					err = ErrChanged // the file is shorter than when it was opened
				}
				fail(err)
				return
			}
			if afterChunk != nil {
				afterChunk(off + int64(n))
			}
			read <- block{b, off}
			off += int64(n)
		}
	}()
	var wg sync.WaitGroup
	for range min(copyWriters, nbuf) {
		wg.Go(func() {
			for blk := range full {
				if !failed.Load() {
					if err := writeChunk(dst, blk.b, blk.off, &direct); err != nil {
						fail(err)
					}
				}
				free <- blk.b[:cap(blk.b)]
			}
		})
	}
	for blk := range read {
		h.Write(blk.b)
		full <- blk
	}
	close(full)
	wg.Wait()
	if wasDirect {
		// The update is appended at any offset: through the page cache.
		clearDirect(dst)
	}
	return firstErr
}

// writeChunk writes b at off in dst: with direct I/O while direct holds,
// the tail that is not a multiple of dioAlign through the page cache. A
// file system that refuses a direct write (EINVAL: an alignment it needs,
// direct I/O it does not do) gets this chunk and the rest through the page
// cache. The writers share dst's flags: a write that finds direct I/O
// turned off by another goes through the page cache, the same bytes at the
// same offset.
func writeChunk(dst *os.File, b []byte, off int64, direct *atomic.Bool) error {
	if direct.Load() {
		n := len(b) &^ (dioAlign - 1)
		if n > 0 {
			_, err := dst.WriteAt(b[:n], off)
			switch {
			case err == nil:
				b, off = b[n:], off+int64(n)
			case !errors.Is(err, errDirectRefused):
				return err
			}
		}
		if len(b) > 0 {
			direct.Store(false)
			clearDirect(dst)
		}
	}
	if len(b) == 0 {
		return nil
	}
	if _, err := dst.WriteAt(b, off); err != nil {
		return err
	}
	startWriteback(dst, off, int64(len(b)))
	return nil
}

func roundUp(n, to int64) int64 { return (n + to - 1) / to * to }

// newBuf makes the copy's buffers (tests make them misaligned).
var newBuf = alignedBuf

// alignedBuf returns n bytes aligned to dioAlign, n its capacity.
func alignedBuf(n int) []byte {
	b := make([]byte, n+dioAlign)
	a := dioAlign - int(uintptr(unsafe.Pointer(unsafe.SliceData(b)))&(dioAlign-1))
	if a == dioAlign {
		a = 0
	}
	return b[a : a+n : a+n]
}
