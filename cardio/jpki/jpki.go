// Package jpki speaks the My Number Card's JPKI applet (and the PIN side of
// its text and 住基 applets) over an apdu.Transport: identify the card, read
// certificates, read tries left without using a try, verify and change PINs,
// and sign. Every PIN try goes through the guard in guard.go.
package jpki

import (
	"bytes"
	"fmt"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/pin"
)

// Applet AIDs.
var (
	AIDJPKI   = []byte{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}
	AIDText   = []byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08}
	AIDVisual = []byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02}
	AIDJuki   = []byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01}
)

// Elementary files.
const (
	EFSignCert  uint16 = 0x0001
	EFSignCA    uint16 = 0x0002
	EFTokenInfo uint16 = 0x0006
	EFCertAvail uint16 = 0x0008
	EFAuthCert  uint16 = 0x000A
	EFAuthCA    uint16 = 0x000B
	EFTextPIN   uint16 = 0x0011
	EFAuthKey   uint16 = 0x0017
	EFAuthPIN   uint16 = 0x0018
	EFSignKey   uint16 = 0x001A
	EFSignPIN   uint16 = 0x001B
	EFJukiPIN   uint16 = 0x001C

	// Text (券面事項入力補助) applet.
	EFTextMyNumber  uint16 = 0x0001 // FF10: the My Number
	EFTextBasic     uint16 = 0x0002 // FF20: name, address, birth date, sex
	EFTextIntegrity uint16 = 0x0003 // FF30: digests of 0001 and 0002, signature
	EFTextCert      uint16 = 0x0004 // 7F21: the applet's card-verifiable certificate
	EFTextCodeA     uint16 = 0x0014 // 照合番号A
	EFTextCodeB     uint16 = 0x0015 // 照合番号B

	// Visual (券面事項確認) applet.
	EFVisualFace  uint16 = 0x0002 // FF20: the card face
	EFVisualCert  uint16 = 0x0004 // 7F21: the applet's card-verifiable certificate
	EFVisualCodeB uint16 = 0x0012 // 照合番号B
	EFVisualCodeA uint16 = 0x0013 // 照合番号A
)

// Token labels.
const (
	LabelMyNumberCard = "JPKIAPICCTOKEN2"
	LabelJukiCard     = "JPKIAPICCTOKEN"
	LabelAndroid      = "JPKIAPGPSETOKEN"
	LabelIPhone       = "JPKIAPIOSTOKEN"
)

// CardKind classifies a JPKI token by its label.
type CardKind string

const (
	KindMyNumberCard CardKind = "mynumber_card"
	KindJukiCard     CardKind = "juki_card"
	KindSmartphone   CardKind = "smartphone"
	KindUnknownJPKI  CardKind = "unknown_jpki"
)

func kindOf(label string) CardKind {
	switch label {
	case LabelMyNumberCard:
		return KindMyNumberCard
	case LabelJukiCard:
		return KindJukiCard
	case LabelAndroid, LabelIPhone:
		return KindSmartphone
	}
	return KindUnknownJPKI
}

// Session is a conversation with one card inside one PC/SC transaction (or
// on the virtual card directly). It remembers which applet and EF are
// selected, to send no APDU twice, and which PINs it has verified. It is not
// safe for concurrent use.
type Session struct {
	c        *apdu.Client
	applet   []byte
	ef       uint16
	absent   [][]byte // applets that answered 6A82 in this session
	verified map[pin.ID]bool
	info     *CardInfo
	authCert []byte
	signCert []byte
	cardID   string
}

// NewSession starts a session over t.
func NewSession(t apdu.Transport) *Session {
	return &Session{c: apdu.NewClient(t), verified: map[pin.ID]bool{}}
}

// APDUs is the number of APDUs this session has sent.
func (s *Session) APDUs() int64 { return s.c.Count() }

// do sends one command; on a transport failure the selection cache is dropped,
// since the card's state is no longer known.
func (s *Session) do(cmd apdu.Command) (apdu.Response, error) {
	r, err := s.c.Do(cmd)
	if err != nil {
		s.forget()
	}
	return r, err
}

func (s *Session) forget() {
	s.applet = nil
	s.ef = 0
	s.absent = nil
	clear(s.verified)
}

// selectApplet selects an applet by AID unless it is selected already.
// Selecting an applet clears every verified PIN on the card. An applet the
// card said it lacks is not asked for again in this session.
func (s *Session) selectApplet(aid []byte) error {
	if s.applet != nil && bytes.Equal(s.applet, aid) {
		return nil
	}
	for _, a := range s.absent {
		if bytes.Equal(a, aid) {
			return cardio.E(cardio.CodeNotMyNumberCard, "select applet", &apdu.StatusError{SW: apdu.SWFileNotFound})
		}
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0xA4, P1: 0x04, P2: 0x0C, Data: aid, Le: apdu.NoLe})
	if err != nil {
		return err
	}
	s.applet, s.ef = nil, 0
	clear(s.verified)
	if r.SW == apdu.SWFileNotFound {
		s.absent = append(s.absent, aid)
		return cardio.E(cardio.CodeNotMyNumberCard, "select applet", &apdu.StatusError{SW: r.SW})
	}
	if err := r.Check("select applet"); err != nil {
		return err
	}
	if err := r.NoData("select applet"); err != nil {
		return err
	}
	s.applet = aid
	return nil
}

// selectEF selects an elementary file of the current applet.
func (s *Session) selectEF(fid uint16) error {
	if s.applet != nil && s.ef == fid {
		return nil
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0xA4, P1: 0x02, P2: 0x0C, Data: []byte{byte(fid >> 8), byte(fid)}, Le: apdu.NoLe})
	if err != nil {
		return err
	}
	s.ef = 0
	op := fmt.Sprintf("select EF %04X", fid)
	if err := r.Check(op); err != nil {
		return err
	}
	if err := r.NoData(op); err != nil {
		return err
	}
	s.ef = fid
	return nil
}
