package pcsc

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ebfe/scard"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
	"github.com/shomei-app/shomei/cardio/vpcd"
)

// A reset by another program is reported as card_reset, and Reconnect
// brings the connection back. Needs pcscd with vpcd (make test; the suite
// runs packages one at a time so readers are not shared).
func TestResetByAnotherProgram(t *testing.T) {
	if os.Getenv("SHOMEI_INTEGRATION") != "1" {
		t.Skip("needs pcscd with vpcd: run make test")
	}
	const reader = "Virtual PCD 00 01"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vpcd.Insert(ctx, "127.0.0.1:35964", vcardtest.New(t)) }()
	defer func() { cancel(); <-done }()
	pc, err := Establish()
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Release()
	for deadline := time.Now().Add(10 * time.Second); ; {
		if _, err := pc.Pick(reader); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("card never appeared")
		}
		time.Sleep(50 * time.Millisecond)
	}
	conn, err := pc.Connect(reader)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(false)
	selectJPKI := []byte{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}
	if _, err := conn.Transmit(selectJPKI); err != nil {
		t.Fatal(err)
	}
	// Step out of our transaction so another program can reset the card.
	conn.card.EndTransaction(scard.LeaveCard)
	conn.inTx = false
	other, err := pc.ctx.Connect(reader, scard.ShareShared, scard.ProtocolAny)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Disconnect(scard.ResetCard); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Transmit(selectJPKI)
	if cardio.CodeOf(err) != cardio.CodeCardReset {
		t.Fatalf("after a foreign reset: %v, want card_reset", err)
	}
	if err := conn.Reconnect(); err != nil {
		t.Fatalf("reconnect: %v", err)
	}
	out, err := conn.Transmit(selectJPKI)
	if err != nil || len(out) != 2 || out[0] != 0x90 {
		t.Fatalf("after reconnect: %x %v", out, err)
	}
}
