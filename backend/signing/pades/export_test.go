package pades

// SetCopy sets the copy's chunk size, whether it writes with direct I/O,
// and a hook run after each chunk, for the tests of the fast path; restore
// undoes it.
func SetCopy(chunk int64, direct bool, hook func(copied int64)) (restore func()) {
	c, k, h := copyChunk, directIO, afterChunk
	copyChunk, directIO, afterChunk = chunk, direct, hook
	return func() { copyChunk, directIO, afterChunk = c, k, h }
}

// MisalignBuffers makes the copy's buffers start one byte after an aligned
// address: the kernel refuses direct writes from them (EINVAL).
func MisalignBuffers() (restore func()) {
	newBuf = func(n int) []byte { return alignedBuf(n + 1)[1 : n+1 : n+1] }
	return func() { newBuf = alignedBuf }
}
