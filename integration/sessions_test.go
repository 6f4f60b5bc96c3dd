package integration

import (
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// Two sessions of one process on one reader: the second waits in pcscd for
// the first one's transaction, and the first must still reach the card
// meanwhile. With one PC/SC context shared by both, the second's Connect
// held the context while pcscd held it back, and the first's Transmit
// waited for the context: both for ever (the counter screen's hang).
func TestConcurrentSessionsDoNotDeadlock(t *testing.T) {
	need(t)
	insert(t, vcardtest.New(t))
	// No cleanup: after a deadlock, releasing the context would wait too.
	p := &cardsvc.PCSC{}
	first, err := p.Open(readerInProc)
	if err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() {
		l, err := p.Open(readerInProc)
		if err == nil {
			_, err = l.Transmit(selectJPKI)
			l.Close(false)
		}
		second <- err
	}()
	// Give the second session time to be waiting inside pcscd.
	time.Sleep(500 * time.Millisecond)
	done := make(chan error, 1)
	go func() {
		_, err := first.Transmit(selectJPKI)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("first session: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the first session's Transmit never returned while a second session waited for the card")
	}
	select {
	case err := <-second:
		t.Fatalf("the second session ran inside the first one's transaction: %v", err)
	default:
	}
	if err := first.Close(false); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-second:
		if err != nil {
			t.Fatalf("second session: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the second session never got the card after the first closed")
	}
	p.Close()
}

// selectJPKI selects the JPKI applet (D3 92 F0 00 26 01 00 00 00 01).
var selectJPKI = []byte{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}
