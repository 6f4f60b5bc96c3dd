package apdu_test

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
)

func TestEncodeParse(t *testing.T) {
	for _, tc := range []struct {
		c   apdu.Command
		hex string
	}{
		{apdu.Command{CLA: 0, INS: 0x20, P1: 0, P2: 0x80, Le: apdu.NoLe}, "00200080"},
		{apdu.Command{CLA: 0, INS: 0xB0, P1: 1, P2: 0, Le: 256}, "00b0010000"},
		{apdu.Command{CLA: 0, INS: 0xA4, P1: 2, P2: 0xC, Data: []byte{0, 1}, Le: apdu.NoLe}, "00a4020c020001"},
		{apdu.Command{CLA: 0x80, INS: 0x2A, P1: 0, P2: 0x80, Data: []byte{1, 2, 3}, Le: 256}, "802a00800301020300"},
	} {
		b, err := tc.c.Bytes()
		if err != nil || hex.EncodeToString(b) != tc.hex {
			t.Errorf("%+v: %x %v, want %s", tc.c, b, err, tc.hex)
		}
		back, err := apdu.Parse(b)
		if err != nil || back.INS != tc.c.INS || back.Le != tc.c.Le || !bytes.Equal(back.Data, tc.c.Data) {
			t.Errorf("parse %s: %+v %v", tc.hex, back, err)
		}
	}
	if _, err := (apdu.Command{Data: make([]byte, 256)}).Bytes(); err == nil {
		t.Error("256 data bytes encoded as a short APDU")
	}
	for _, bad := range []string{"00", "00b000000501", "00a4020c000002aabb"} {
		raw, _ := hex.DecodeString(bad)
		if _, err := apdu.Parse(raw); err == nil {
			t.Errorf("parse %s accepted", bad)
		}
	}
}

// script answers each command with the next canned answer and records it.
type script struct {
	answers []string
	sent    []string
}

func (s *script) Transmit(c []byte) ([]byte, error) {
	s.sent = append(s.sent, hex.EncodeToString(c))
	a := s.answers[0]
	s.answers = s.answers[1:]
	return hex.DecodeString(a)
}

func TestGetResponseAndWrongLe(t *testing.T) {
	s := &script{answers: []string{"6102", "aabb6101", "cc9000"}}
	c := apdu.NewClient(s)
	r, err := c.Do(apdu.Command{CLA: 0x80, INS: 0x2A, Data: []byte{1}, Le: 256})
	if err != nil || hex.EncodeToString(r.Data) != "aabbcc" || !r.SW.OK() {
		t.Fatalf("%x %v %v", r.Data, r.SW, err)
	}
	if s.sent[1] != "00c0000002" || s.sent[2] != "00c0000001" || c.Count() != 3 {
		t.Errorf("sent %v", s.sent)
	}

	s = &script{answers: []string{"6c03", "0102039000"}}
	c = apdu.NewClient(s)
	r, err = c.Do(apdu.Command{INS: 0xB0, Le: 16})
	if err != nil || hex.EncodeToString(r.Data) != "010203" || s.sent[1] != "00b0000003" {
		t.Fatalf("6C: %x %v %v", r.Data, err, s.sent)
	}
	s = &script{answers: []string{"6c03", "6c02"}}
	if _, err := apdu.NewClient(s).Do(apdu.Command{INS: 0xB0, Le: 16}); cardio.CodeOf(err) != cardio.CodeProtocol {
		t.Errorf("6C twice: %v", err)
	}
}

func TestStatusWords(t *testing.T) {
	for _, tc := range []struct {
		sw      apdu.SW
		blocked bool
		n       int
		isCount bool
		code    cardio.Code
	}{
		{0x63C3, false, 3, true, cardio.CodeProtocol},
		{0x63C0, true, 0, true, cardio.CodePINLocked},
		{0x6983, true, 0, false, cardio.CodePINLocked},
		{0x6984, true, 0, false, cardio.CodePINLocked},
		{0x6982, false, 0, false, cardio.CodeAccessDenied},
		{0x6D00, false, 0, false, cardio.CodeUnsupported},
		{0x6F00, false, 0, false, cardio.CodeProtocol},
	} {
		n, ok := tc.sw.Counter()
		if tc.sw.Blocked() != tc.blocked || ok != tc.isCount || n != tc.n || apdu.CodeFor(tc.sw) != tc.code {
			t.Errorf("%s: blocked %v counter %d/%v code %s", tc.sw, tc.sw.Blocked(), n, ok, apdu.CodeFor(tc.sw))
		}
	}
}
