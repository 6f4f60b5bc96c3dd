package cardsvc

import (
	"sync"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/pcsc"
)

// PCSC opens cards through pcsc-lite. It keeps one PC/SC context and makes
// a new one when the service went away meanwhile.
type PCSC struct {
	mu  sync.Mutex
	ctx *pcsc.Context
}

func (p *PCSC) context() (*pcsc.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx == nil {
		c, err := pcsc.Establish()
		if err != nil {
			return nil, err
		}
		p.ctx = c
	}
	return p.ctx, nil
}

// drop forgets the context after a service failure (on Windows the service
// stops with the last reader, which cardio/pcsc reports as no reader).
func (p *PCSC) drop(err error) {
	if c := cardio.CodeOf(err); c == cardio.CodeNoService || c == cardio.CodeTransport || c == cardio.CodeNoReader {
		p.mu.Lock()
		if p.ctx != nil {
			p.ctx.Release()
			p.ctx = nil
		}
		p.mu.Unlock()
	}
}

// Readers lists readers with card presence. No reader is an empty list,
// also on Windows, where the service is absent until a reader is attached.
func (p *PCSC) Readers() ([]pcsc.ReaderInfo, error) {
	c, err := p.context()
	if cardio.CodeOf(err) == cardio.CodeNoReader {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rs, err := c.Survey()
	p.drop(err)
	return rs, err
}

// Open connects to reader, or to the reader holding a card when reader is "".
func (p *PCSC) Open(reader string) (Link, error) {
	c, err := p.context()
	if err != nil {
		return nil, err
	}
	name, err := c.Pick(reader)
	if err != nil {
		p.drop(err)
		return nil, err
	}
	conn, err := c.Connect(name)
	if err != nil {
		p.drop(err)
		return nil, err
	}
	return conn, nil
}

// Close releases the context.
func (p *PCSC) Close() {
	p.drop(cardio.ErrNoService)
}
