// Package pcsc talks to card readers through pcsc-lite (github.com/ebfe/scard):
// list readers, watch readers and cards come and go, connect inside a
// transaction, reconnect after a reset. Every PC/SC failure leaves this
// package as a *cardio.Error with a code a UI can explain.
package pcsc

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ebfe/scard"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/internal/errs"
)

// mapErr turns a PC/SC error into a cardio.Error.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var se scard.Error
	if !errors.As(err, &se) {
		return cardio.Wrap(op, err)
	}
	return cardio.E(codeFor(se), op, err)
}

// serviceNeedsReader: Windows (8 and later) runs its smart card service
// (SCardSvr) only while a reader is attached. With no reader,
// SCardEstablishContext answers SCARD_E_NO_SERVICE, and a context held while
// the last reader goes answers SCARD_E_SERVICE_STOPPED: there both mean what
// SCARD_E_NO_READERS_AVAILABLE means with pcsc-lite, no reader, and the
// user is asked to connect one (not to start a service).
var serviceNeedsReader = runtime.GOOS == "windows"

func codeFor(e scard.Error) cardio.Code {
	switch e {
	case scard.ErrNoService, scard.ErrServiceStopped:
		if serviceNeedsReader {
			return cardio.CodeNoReader
		}
		return cardio.CodeNoService
	case scard.ErrNoReadersAvailable, scard.ErrUnknownReader, scard.ErrReaderUnavailable:
		return cardio.CodeNoReader
	case scard.ErrNoSmartcard:
		return cardio.CodeNoCard
	case scard.ErrRemovedCard:
		return cardio.CodeCardRemoved
	case scard.ErrResetCard:
		return cardio.CodeCardReset
	case scard.ErrSharingViolation:
		return cardio.CodeReaderBusy
	case scard.ErrTimeout:
		return cardio.CodeTimeout
	case scard.ErrCancelled:
		return cardio.CodeCancelled
	case scard.ErrUnpoweredCard, scard.ErrUnresponsiveCard, scard.ErrUnsupportedCard, scard.ErrCardUnsupported, scard.ErrInvalidAtr, scard.ErrProtoMismatch:
		return cardio.CodeProtocol
	}
	return cardio.CodeTransport
}

// Context is a PC/SC context.
type Context struct {
	ctx *scard.Context
}

// Establish opens a PC/SC context; without pcscd it fails with
// cardio.CodeNoService.
func Establish() (*Context, error) {
	c, err := scard.EstablishContext()
	if err != nil {
		return nil, mapErr("establish context", err)
	}
	return &Context{ctx: c}, nil
}

// Release frees the context.
func (c *Context) Release() error { return mapErr("release context", c.ctx.Release()) }

// Readers lists the attached readers, sorted. No reader is an empty list,
// not an error.
func (c *Context) Readers() ([]string, error) {
	rs, err := c.ctx.ListReaders()
	if errors.Is(err, scard.ErrNoReadersAvailable) {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr("list readers", err)
	}
	sort.Strings(rs)
	return rs, nil
}

// ReaderInfo is one reader and what is in it.
type ReaderInfo struct {
	Name    string `json:"name"`
	Present bool   `json:"card_present"`
	InUse   bool   `json:"in_use"` // another program holds the card exclusively
	ATR     []byte `json:"atr,omitempty"`
}

// Survey lists readers with their card presence, without connecting.
func (c *Context) Survey() ([]ReaderInfo, error) {
	names, err := c.Readers()
	if err != nil || len(names) == 0 {
		return nil, err
	}
	states := make([]scard.ReaderState, len(names))
	for i, n := range names {
		states[i] = scard.ReaderState{Reader: n, CurrentState: scard.StateUnaware}
	}
	if err := c.ctx.GetStatusChange(states, 0); err != nil && !errors.Is(err, scard.ErrTimeout) {
		return nil, mapErr("reader status", err)
	}
	out := make([]ReaderInfo, len(names))
	for i, s := range states {
		out[i] = ReaderInfo{Name: s.Reader, Present: s.EventState&scard.StatePresent != 0, InUse: s.EventState&scard.StateExclusive != 0}
		if out[i].Present {
			out[i].ATR = append([]byte(nil), s.Atr...)
		}
	}
	return out, nil
}

// Pick returns the reader to use: name if given (it must exist), else the
// only reader with a card, else the first with a card.
func (c *Context) Pick(name string) (string, error) {
	infos, err := c.Survey()
	if err != nil {
		return "", err
	}
	if len(infos) == 0 {
		return "", cardio.E(cardio.CodeNoReader, "pick reader", nil)
	}
	if name != "" {
		for _, r := range infos {
			if r.Name == name {
				if !r.Present {
					return "", cardio.E(cardio.CodeNoCard, "pick reader", fmt.Errorf("reader %q", name))
				}
				return name, nil
			}
		}
		// Say which readers there are: a name typed wrong is not "no reader".
		names := make([]string, len(infos))
		for i, r := range infos {
			names[i] = r.Name
		}
		return "", errs.Wrap(fmt.Errorf("no reader named %q", name), errs.ReaderNotFound, name, strings.Join(names, ", "))
	}
	for _, r := range infos {
		if r.Present {
			return r.Name, nil
		}
	}
	return "", cardio.E(cardio.CodeNoCard, "pick reader", nil)
}

// Conn is a connection to the card in one reader, inside a transaction from
// Connect to Close. It implements apdu.Transport.
type Conn struct {
	mu     sync.Mutex
	card   *scard.Card
	reader string
	inTx   bool
}

// Connect connects to the card in reader (shared mode) and begins a
// transaction, so no other program can send commands until Close.
func (c *Context) Connect(reader string) (*Conn, error) {
	card, err := c.ctx.Connect(reader, scard.ShareShared, scard.ProtocolAny)
	if err != nil {
		return nil, mapErr("connect", err)
	}
	conn := &Conn{card: card, reader: reader}
	err = card.BeginTransaction()
	if errors.Is(err, scard.ErrResetCard) {
		// Reset by another program since we connected: nothing of ours was
		// on the card yet, so reconnect and go on.
		if err = card.Reconnect(scard.ShareShared, scard.ProtocolAny, scard.LeaveCard); err == nil {
			err = card.BeginTransaction()
		}
	}
	if err != nil {
		card.Disconnect(scard.LeaveCard)
		return nil, mapErr("begin transaction", err)
	}
	conn.inTx = true
	return conn, nil
}

// Reader is the reader's name.
func (c *Conn) Reader() string { return c.reader }

// Transmit sends one APDU.
func (c *Conn) Transmit(cmd []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out, err := c.card.Transmit(cmd)
	if err != nil {
		mapped := mapErr("transmit", err)
		// A card pulled out mid-command often surfaces as a vague failure
		// (transaction failed, comm error): ask the reader which it was.
		if code := cardio.CodeOf(mapped); (code == cardio.CodeTransport || code == cardio.CodeProtocol) && c.removed() {
			return nil, cardio.E(cardio.CodeCardRemoved, "transmit", err)
		}
		return nil, mapped
	}
	// Some reader drivers (vpcd among them) report a card that went away
	// mid-command as an empty answer.
	if len(out) < 2 && c.removed() {
		return nil, cardio.E(cardio.CodeCardRemoved, "transmit", nil)
	}
	return out, nil
}

// removed reports whether the card has left the reader, giving the service
// up to a second to notice.
func (c *Conn) removed() bool {
	for i := 0; i < 10; i++ {
		if st, err := c.card.Status(); err != nil || st.State&scard.Present == 0 {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// ATR returns the card's ATR as the reader reports it (contactless readers
// make up their own; never identify a card by it).
func (c *Conn) ATR() ([]byte, error) {
	st, err := c.card.Status()
	if err != nil {
		return nil, mapErr("card status", err)
	}
	return st.Atr, nil
}

// Reconnect re-establishes the connection after another program reset the
// card (cardio.CodeCardReset). Whatever was selected or verified is gone.
func (c *Conn) Reconnect() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inTx {
		c.card.EndTransaction(scard.LeaveCard)
		c.inTx = false
	}
	if err := c.card.Reconnect(scard.ShareShared, scard.ProtocolAny, scard.LeaveCard); err != nil {
		return mapErr("reconnect", err)
	}
	if err := c.card.BeginTransaction(); err != nil {
		return mapErr("begin transaction", err)
	}
	c.inTx = true
	return nil
}

// Close ends the transaction and disconnects. With reset, the card is reset
// so no verified PIN state is left behind for another program; use it after
// any session that verified a PIN.
func (c *Conn) Close(reset bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	disp := scard.LeaveCard
	if reset {
		disp = scard.ResetCard
	}
	if c.inTx {
		c.card.EndTransaction(scard.LeaveCard)
		c.inTx = false
	}
	return mapErr("disconnect", c.card.Disconnect(disp))
}
