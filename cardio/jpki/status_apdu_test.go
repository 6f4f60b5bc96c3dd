package jpki_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
)

// header names a command by what it does, for readable sequences.
func header(c []byte) string {
	switch {
	case c[1] == 0xA4 && c[2] == 0x04:
		return fmt.Sprintf("SELECT AID %X", c[5:])
	case c[1] == 0xA4:
		return fmt.Sprintf("SELECT EF %X", c[5:7])
	case c[1] == 0xB0:
		return fmt.Sprintf("READ BINARY %02X%02X", c[2], c[3])
	case c[1] == 0x20 && len(c) == 4:
		return "VERIFY no data"
	case c[1] == 0x20:
		return "VERIFY WITH DATA"
	}
	return fmt.Sprintf("%X", c)
}

// A card status on the in-memory card sends exactly the floor's APDUs, in
// this order: each applet selected once, each EF once, the certificate in
// as many 256-byte reads as its length needs, one VERIFY without data per
// PIN. A count above the floor is a regression (not a timing: a count).
func TestStatusAPDUsAtTheFloor(t *testing.T) {
	card, rec, s := newSession(t)
	if _, err := s.ReadStatus(); err != nil {
		t.Fatal(err)
	}
	// The virtual card's certificate is freshly generated: its DER length
	// moves by a byte or two with the key and serial (987 and 988 seen), so
	// the reads are derived from it; the README's figure of 29 holds for
	// any length from 769 to 1,024 bytes.
	certLen := len(card.State().AuthCertDER())
	floor := jpki.StatusFloor(certLen)
	reads := (certLen + 255) / 256
	if certLen <= 768 || certLen > 1024 || floor != 29 {
		t.Errorf("virtual card: certificate %d bytes, floor %d; want 769–1,024 bytes and 29 (update the README's figures if this changed)", certLen, floor)
	}
	var got []string
	for _, c := range rec.cmds {
		got = append(got, header(c))
	}
	aid := func(a []byte) string { return fmt.Sprintf("SELECT AID %X", a) }
	pinQ := func(ef string) []string { return []string{"SELECT EF " + ef, "VERIFY no data"} }
	var want []string
	want = append(want, aid(jpki.AIDJPKI), "SELECT EF 0006", "READ BINARY 0000", "SELECT EF 0008", "READ BINARY 0000",
		"SELECT EF 000A")
	for i := 0; i < reads; i++ {
		want = append(want, fmt.Sprintf("READ BINARY %04X", i*256))
	}
	want = append(want, pinQ("001B")...)
	want = append(want, pinQ("0018")...)
	want = append(want, aid(jpki.AIDText))
	want = append(append(append(want, pinQ("0011")...), pinQ("0014")...), pinQ("0015")...)
	want = append(append(want, aid(jpki.AIDJuki)), pinQ("001C")...)
	want = append(append(append(want, aid(jpki.AIDVisual)), pinQ("0013")...), pinQ("0012")...)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("status sent\n%s\n\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) != floor || s.APDUs() != int64(floor) {
		t.Errorf("status sent %d APDUs (session counted %d), floor %d", len(got), s.APDUs(), floor)
	}
	if rec.verifiesWithData() != 0 {
		t.Error("status sent a VERIFY with data")
	}
}

// An applet the card lacks costs its one SELECT: the PINs behind it are
// shown as absent without asking again (the text applet holds three).
func TestStatusAbsentAppletAskedOnce(t *testing.T) {
	card, rec, _ := newSession(t)
	missing := [][]byte{jpki.AIDText, jpki.AIDJuki, jpki.AIDVisual}
	s := jpki.NewSession(transportFunc(func(c []byte) ([]byte, error) {
		for _, a := range missing {
			if c[1] == 0xA4 && c[2] == 0x04 && bytes.Equal(c[5:], a) {
				rec.cmds = append(rec.cmds, append([]byte(nil), c...))
				return []byte{0x6A, 0x82}, nil
			}
		}
		return rec.Transmit(c)
	}))
	st, err := s.ReadStatus()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range st.PINs {
		jp := p.ID == pin.Sign || p.ID == pin.Auth
		if p.Available != jp {
			t.Errorf("%s available = %v", p.ID, p.Available)
		}
	}
	// The floor without the six other PINs' SELECT EF + VERIFY: the JPKI
	// applet as on a full card and one refused SELECT per missing applet.
	want := jpki.StatusFloor(len(card.State().AuthCertDER())) - 2*(len(pin.Every)-2)
	if len(rec.cmds) != want {
		var h []string
		for _, c := range rec.cmds {
			h = append(h, header(c))
		}
		t.Errorf("status sent %d APDUs, want %d:\n%s", len(rec.cmds), want, strings.Join(h, "\n"))
	}
	if rec.verifiesWithData() != 0 {
		t.Error("status sent a VERIFY with data")
	}
}
