package verify

import (
	"context"
	"errors"
	"io"
)

// ErrCancelled is returned when the verification's context ends (Ctrl-C,
// SIGTERM) before it is done: no report, nothing written.
var ErrCancelled = errors.New("the verification was cancelled")

func (o Options) ctx() context.Context {
	if o.Ctx == nil {
		return context.Background()
	}
	return o.Ctx
}

// ctxReader stops every reader of the file (the hashing pass, the PDF
// structure, the CMS) at its next read once ctx ends: a verification of a
// large or hostile file ends promptly when it is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c ctxReader) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, ErrCancelled
	}
	return c.r.ReadAt(p, off)
}

// ctxStream is ctxReader for a stream (a detached signature's data).
type ctxStream struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxStream) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, ErrCancelled
	}
	return c.r.Read(p)
}

// cancelled turns a result into ErrCancelled when ctx ended meanwhile: a
// verification cut short never yields a verdict.
func cancelled(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ErrCancelled
	}
	return err
}
