package vpcd_test

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"io"
	"net"
	"testing"

	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
	"github.com/shomei-app/shomei/cardio/vpcd"
)

// A stand-in for pcscd's vpcd driver speaks the protocol to the card:
// control bytes, the ATR, an APDU; closing the context closes the socket.
func TestProtocol(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	card := vcardtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vpcd.Insert(ctx, ln.Addr().String(), card) }()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	send := func(msg []byte) {
		b := binary.BigEndian.AppendUint16(nil, uint16(len(msg)))
		if _, err := c.Write(append(b, msg...)); err != nil {
			t.Fatal(err)
		}
	}
	recv := func() string {
		h := make([]byte, 2)
		if _, err := io.ReadFull(c, h); err != nil {
			t.Fatal(err)
		}
		b := make([]byte, binary.BigEndian.Uint16(h))
		if _, err := io.ReadFull(c, b); err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(b)
	}
	send([]byte{0x01}) // power on: no answer
	send([]byte{0x04})
	if got := recv(); got != "3be000ff8131fe4514" {
		t.Errorf("ATR %s", got)
	}
	apdu, _ := hex.DecodeString("00a4040c0ad392f000260100000001")
	send(apdu)
	if got := recv(); got != "9000" {
		t.Errorf("select: %s", got)
	}
	cancel() // pull the card out
	if err := <-done; err != nil {
		t.Errorf("Insert: %v", err)
	}
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("socket still open: %v", err)
	}
}
