// Package jpki speaks the My Number Card's JPKI applet (and the PIN side of
// its text and 住基 applets) over an apdu.Transport: identify the card, read
// certificates, read tries left without using a try, verify and change PINs,
// and sign. Every PIN try goes through the guard in guard.go.
package jpki

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

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

// pinLocation says where each PIN lives.
type pinLocation struct {
	aid []byte
	ef  uint16
}

var pinAt = map[pin.ID]pinLocation{
	pin.Sign: {AIDJPKI, EFSignPIN},
	pin.Auth: {AIDJPKI, EFAuthPIN},
	pin.Text: {AIDText, EFTextPIN},
	pin.Juki: {AIDJuki, EFJukiPIN},
	// The 照合番号: every peer (jpki/myna Go and Rust, soltia48/myna-card,
	// AokiApp/jsapdu) agrees on these four EFs.
	pin.TextA:   {AIDText, EFTextCodeA},
	pin.TextB:   {AIDText, EFTextCodeB},
	pin.VisualA: {AIDVisual, EFVisualCodeA},
	pin.VisualB: {AIDVisual, EFVisualCodeB},
}

// idKey keys the card identity digest. It is new in every process, so a card
// ID cannot be linked across runs or stored usefully.
var idKey = func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}()

// Session is a conversation with one card inside one PC/SC transaction (or
// on the virtual card directly). It remembers which applet and EF are
// selected, to send no APDU twice, and which PINs it has verified. It is not
// safe for concurrent use.
type Session struct {
	c        *apdu.Client
	applet   []byte
	ef       uint16
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
	clear(s.verified)
}

// selectApplet selects an applet by AID unless it is selected already.
// Selecting an applet clears every verified PIN on the card.
func (s *Session) selectApplet(aid []byte) error {
	if s.applet != nil && bytes.Equal(s.applet, aid) {
		return nil
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0xA4, P1: 0x04, P2: 0x0C, Data: aid, Le: apdu.NoLe})
	if err != nil {
		return err
	}
	s.applet, s.ef = nil, 0
	clear(s.verified)
	if r.SW == apdu.SWFileNotFound {
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

// readBinary reads n bytes at off from the current EF.
func (s *Session) readBinary(off, n int) ([]byte, error) {
	if off < 0 || off > 0x7FFF {
		return nil, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("offset %d outside the 15-bit range", off))
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0xB0, P1: byte(off >> 8), P2: byte(off), Le: n})
	if err != nil {
		return nil, err
	}
	if r.SW != apdu.SWEndOfFile {
		if err := r.Check("read binary"); err != nil {
			return nil, err
		}
	}
	// More than asked is nonsense; less is allowed only with 62 82 (end of
	// file): a short answer with 90 00 is a lost or garbled answer.
	if len(r.Data) > n || (r.SW.OK() && len(r.Data) != n) {
		return nil, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("asked for %d bytes, got %d with %s", n, len(r.Data), r.SW))
	}
	return r.Data, nil
}

// readFile reads exactly n bytes from the start of EF fid.
func (s *Session) readFile(fid uint16, n int) ([]byte, error) {
	if err := s.selectEF(fid); err != nil {
		return nil, err
	}
	out := make([]byte, 0, n)
	for len(out) < n {
		chunk, err := s.readBinary(len(out), min(256, n-len(out)))
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			return nil, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("file %04X ended at %d of %d bytes", fid, len(out), n))
		}
		out = append(out, chunk...)
	}
	return out, nil
}

// maxCert bounds a certificate's DER length: JPKI certificates are under 2 KB.
const maxCert = 0x7FFF

// readDER reads the DER object at the start of EF fid and stops at its
// length: the files are padded after the certificate. It returns
// errNoObject when the file holds no DER SEQUENCE (an empty slot).
func (s *Session) readDER(fid uint16) ([]byte, error) {
	if err := s.selectEF(fid); err != nil {
		return nil, err
	}
	head, err := s.readBinary(0, 256)
	if err != nil {
		return nil, err
	}
	total, err := derLength(head)
	if err != nil {
		return nil, cardio.E(cardio.CodeProtocol, fmt.Sprintf("read EF %04X", fid), err)
	}
	if total > maxCert {
		return nil, cardio.E(cardio.CodeProtocol, fmt.Sprintf("read EF %04X", fid), fmt.Errorf("DER length %d too large", total))
	}
	out := make([]byte, 0, total)
	out = append(out, head[:min(len(head), total)]...)
	for len(out) < total {
		chunk, err := s.readBinary(len(out), min(256, total-len(out)))
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			return nil, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("EF %04X ended inside its DER object", fid))
		}
		out = append(out, chunk...)
	}
	return out[:total], nil
}

var errNoObject = errors.New("no DER object in file")

// derLength returns the total length (header included) of the DER SEQUENCE
// at the start of b.
func derLength(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, errors.New("file shorter than a DER header")
	}
	if b[0] != 0x30 {
		return 0, errNoObject
	}
	l := int(b[1])
	if l < 0x80 {
		return 2 + l, nil
	}
	n := l & 0x7F
	if n == 0 || n > 3 || len(b) < 2+n {
		return 0, fmt.Errorf("bad DER length form %02X", b[1])
	}
	l = 0
	for _, c := range b[2 : 2+n] {
		l = l<<8 | int(c)
	}
	return 2 + n + l, nil
}

// CardInfo is what identifies a JPKI token.
type CardInfo struct {
	Label    string   `json:"label"`
	Kind     CardKind `json:"kind"`
	SignCert bool     `json:"sign_cert_present"`
	AuthCert bool     `json:"auth_cert_present"`
}

// Identify selects the JPKI applet and reads the token label and the
// certificate availability. A card without the applet gets
// cardio.ErrNotMyNumberCard.
func (s *Session) Identify() (*CardInfo, error) {
	if s.info != nil {
		return s.info, nil
	}
	if err := s.selectApplet(AIDJPKI); err != nil {
		return nil, cardio.Wrap("identify", err)
	}
	tok, err := s.readFile(EFTokenInfo, 32)
	if err != nil {
		return nil, cardio.Wrap("identify: token info", err)
	}
	label := strings.TrimRight(string(tok), " \x00")
	if !strings.HasPrefix(label, "JPKIAP") {
		return nil, cardio.E(cardio.CodeNotMyNumberCard, "identify", fmt.Errorf("token label %q is not a JPKI label", label))
	}
	avail, err := s.readFile(EFCertAvail, 3)
	if err != nil {
		return nil, cardio.Wrap("identify: certificate availability", err)
	}
	s.info = &CardInfo{
		Label:    label,
		Kind:     kindOf(label),
		SignCert: avail[0] == 0x8F,
		AuthCert: avail[1] == 0x8F,
	}
	return s.info, nil
}

// ReadCertificate reads a certificate EF of the JPKI applet (EFSignCert
// needs the signing password verified first, else cardio.ErrAccessDenied).
func (s *Session) ReadCertificate(fid uint16) (*x509.Certificate, []byte, error) {
	op := fmt.Sprintf("read certificate %04X", fid)
	if err := s.selectApplet(AIDJPKI); err != nil {
		return nil, nil, cardio.Wrap(op, err)
	}
	der, err := s.readDER(fid)
	if errors.Is(err, errNoObject) {
		return nil, nil, cardio.E(cardio.CodeNoSigningCert, op, err)
	}
	if err != nil {
		return nil, nil, cardio.Wrap(op, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, cardio.E(cardio.CodeProtocol, op, err)
	}
	return cert, der, nil
}

// AuthCertificate returns the user-authentication certificate, read once per
// session.
func (s *Session) AuthCertificate() (*x509.Certificate, error) {
	if s.authCert == nil {
		_, der, err := s.ReadCertificate(EFAuthCert)
		if err != nil {
			return nil, err
		}
		s.authCert = der
	}
	return x509.ParseCertificate(s.authCert)
}

// CardID is an identifier of this card that is stable within this process
// and meaningless outside it: an HMAC, under a per-process key, of the token
// label and the authentication certificate. It is what lets the guard check
// that the card in the reader is the one whose state the user was shown.
func (s *Session) CardID() (string, error) {
	if s.cardID != "" {
		return s.cardID, nil
	}
	info, err := s.Identify()
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, idKey)
	m.Write([]byte(info.Label))
	m.Write([]byte{0})
	if info.AuthCert {
		if _, err := s.AuthCertificate(); err != nil {
			return "", cardio.Wrap("card id", err)
		}
		m.Write(s.authCert)
	} else {
		// No authentication certificate to tell cards apart: fall back to the
		// CA certificate, which only tells generations apart. Weak, and said so.
		_, der, err := s.ReadCertificate(EFAuthCA)
		if err != nil {
			return "", cardio.Wrap("card id", err)
		}
		m.Write(der)
	}
	s.cardID = hex.EncodeToString(m.Sum(nil)[:16])
	return s.cardID, nil
}

// PINState is what the card says about one PIN, read without using a try.
type PINState struct {
	ID        pin.ID `json:"-"`
	Available bool   `json:"available"`
	TriesLeft int    `json:"tries_left"`
	MaxTries  int    `json:"max_tries"`
	Locked    bool   `json:"locked"`
	Verified  bool   `json:"verified,omitempty"`
}

// PINStatus reads the tries left of one PIN: select its EF and send VERIFY
// with no data, which every JPKI card answers with 63 Cx without counting a
// try. 90 00 means it is verified already in this card session.
func (s *Session) PINStatus(id pin.ID) (PINState, error) {
	op := "pin status " + string(id)
	spec, ok := pin.SpecOf(id)
	loc, ok2 := pinAt[id]
	if !ok || !ok2 {
		return PINState{}, cardio.E(cardio.CodeUnsupported, op, nil)
	}
	st := PINState{ID: id, MaxTries: spec.MaxTries}
	if err := s.selectApplet(loc.aid); err != nil {
		if cardio.CodeOf(err) == cardio.CodeNotMyNumberCard && id != pin.Sign && id != pin.Auth {
			return st, nil // applet absent: this PIN does not exist on the card
		}
		return st, cardio.Wrap(op, err)
	}
	if err := s.selectEF(loc.ef); err != nil {
		var se *apdu.StatusError
		if errors.As(err, &se) && se.SW == apdu.SWFileNotFound && id != pin.Sign && id != pin.Auth {
			return st, nil
		}
		return st, cardio.Wrap(op, err)
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0x20, P1: 0x00, P2: 0x80, Le: apdu.NoLe})
	if err != nil {
		return st, cardio.Wrap(op, err)
	}
	if err := r.NoData(op); err != nil {
		return st, err
	}
	st.Available = true
	switch n, isCounter := r.SW.Counter(); {
	case r.SW.OK():
		st.Verified = true
		st.TriesLeft = spec.MaxTries
	case r.SW.Blocked():
		st.Locked = true
	case isCounter && n <= spec.MaxTries:
		st.TriesLeft = n
	case isCounter && pin.IsCode(id):
		// The 照合番号's limit is not published; a card that counts from
		// more than we expected is believed, and shown as "n of n".
		st.TriesLeft, st.MaxTries = n, n
	default:
		return st, cardio.E(cardio.CodeProtocol, op, &apdu.StatusError{SW: r.SW})
	}
	return st, nil
}

// Status is a whole card's state, read without using a try.
type Status struct {
	Card     CardInfo
	CardID   string
	AuthCert *x509.Certificate // nil when the card has none
	PINs     []PINState        // in pin.Every order
}

// ReadStatus identifies the card and reads every PIN's state. It never sends
// a VERIFY with data.
func (s *Session) ReadStatus() (*Status, error) {
	info, err := s.Identify()
	if err != nil {
		return nil, err
	}
	id, err := s.CardID()
	if err != nil {
		return nil, err
	}
	st := &Status{Card: *info, CardID: id}
	if info.AuthCert {
		if st.AuthCert, err = s.AuthCertificate(); err != nil {
			return nil, err
		}
	}
	for _, p := range pin.Every {
		ps, err := s.PINStatus(p)
		if err != nil {
			return nil, err
		}
		st.PINs = append(st.PINs, ps)
	}
	return st, nil
}
