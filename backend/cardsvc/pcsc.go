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
//
// Each connection gets a PC/SC context of its own, released with it.
// pcsc-lite serialises the calls made through one context, and pcscd holds
// an SCardConnect to a reader until another handle's transaction on it
// ends: on a shared context, a second session's Connect then held the lock
// that the first session's next Transmit needed, and both waited for ever
// (seen as the web UI's counter screen hanging while a card status ran).
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
	own, err := pcsc.Establish()
	if err != nil {
		p.drop(err)
		return nil, err
	}
	conn, err := own.Connect(name)
	if err != nil {
		own.Release()
		p.drop(err)
		return nil, err
	}
	return &session{Conn: conn, ctx: own}, nil
}

// session is a connection with the context it alone uses.
type session struct {
	*pcsc.Conn
	ctx *pcsc.Context
}

// Close ends the transaction, disconnects and releases the context.
func (s *session) Close(reset bool) error {
	err := s.Conn.Close(reset)
	s.ctx.Release()
	return err
}

// Close releases the context.
func (p *PCSC) Close() {
	p.drop(cardio.ErrNoService)
}
