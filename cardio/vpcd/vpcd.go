// Package vpcd plugs a virtual card into pcscd through the vsmartcard vpcd
// reader driver. vpcd listens on TCP (35963 for "Virtual PCD 00 00"); the
// program that connects there is the card. Every message both ways is a
// 2-byte big-endian length and a payload. One-byte messages from vpcd are
// control (00 power off, 01 power on, 02 reset, 04 get ATR); longer ones are
// APDUs. Closing the connection is pulling the card out.
package vpcd

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// DefaultAddr is vpcd's first reader.
const DefaultAddr = "127.0.0.1:35963"

// Card is what vpcd talks to.
type Card interface {
	ATR() []byte
	Reset()
	Transmit(apdu []byte) ([]byte, error)
}

const (
	ctrlOff   = 0x00
	ctrlOn    = 0x01
	ctrlReset = 0x02
	ctrlATR   = 0x04
)

// Insert connects card to vpcd at addr and serves it until ctx ends (the card
// is pulled out) or the connection drops. It returns nil when ctx ended.
func Insert(ctx context.Context, addr string, card Card) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("vpcd: connect %s (is pcscd running with vpcd?): %w", addr, err)
	}
	return Serve(ctx, conn, card)
}

// Serve runs the vpcd protocol on an open connection and closes it when done.
func Serve(ctx context.Context, conn net.Conn, card Card) error {
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()
	hdr := make([]byte, 2)
	for {
		quickAck(conn)
		if _, err := io.ReadFull(conn, hdr); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("vpcd: read: %w", err)
		}
		n := binary.BigEndian.Uint16(hdr)
		quickAck(conn)
		msg := make([]byte, n)
		if _, err := io.ReadFull(conn, msg); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("vpcd: read: %w", err)
		}
		var out []byte
		if n == 1 {
			switch msg[0] {
			case ctrlOff, ctrlOn, ctrlReset:
				card.Reset()
				continue
			case ctrlATR:
				out = card.ATR()
			default:
				continue // unknown control: ignore, as vicc does
			}
		} else {
			var err error
			if out, err = card.Transmit(msg); err != nil {
				return fmt.Errorf("vpcd: card: %w", err)
			}
		}
		frame := make([]byte, 2+len(out))
		binary.BigEndian.PutUint16(frame, uint16(len(out)))
		copy(frame[2:], out)
		if _, err := conn.Write(frame); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("vpcd: write: %w", err)
		}
	}
}

// Run keeps card inserted until ctx ends: it (re)connects whenever pcscd is
// (re)started, waiting retry between attempts. onRetry (when not nil) is
// told each failed or ended connection and how long Run waits.
func Run(ctx context.Context, addr string, card Card, retry time.Duration, onRetry func(err error, wait time.Duration)) error {
	for {
		err := Insert(ctx, addr, card)
		if ctx.Err() != nil {
			return nil
		}
		if onRetry != nil {
			onRetry(err, retry)
		}
		card.Reset()
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(retry):
		}
		if errors.Is(err, context.Canceled) {
			return nil
		}
	}
}
