package pades

// SetCopy sets the copy's chunk size, whether the kernel copies, and a hook
// run after each chunk, for the tests of the fast path; restore undoes it.
func SetCopy(chunk int64, kernel bool, hook func(copied int64)) (restore func()) {
	c, k, h := copyChunk, kernelCopy, afterChunk
	copyChunk, kernelCopy, afterChunk = chunk, kernel, hook
	return func() { copyChunk, kernelCopy, afterChunk = c, k, h }
}
