// Package vcard is a virtual My Number Card: the JPKI applet, the text
// (券面事項入力補助) applet and the 住基 applet as far as their PINs, with
// keys and certificates from a test PKI it generates. It answers raw APDUs
// (Transmit), so it serves unit tests directly and pcscd through package vpcd.
package vcard

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"sync"

	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pin"
)

// ATR is the contact ATR of a real My Number Card, which OpenSC's JPKI driver
// recognises.
var ATR = []byte{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}

type fileKind int

const (
	binFile fileKind = iota
	pinFile
	keyFile
)

type file struct {
	kind  fileKind
	data  []byte   // binFile content, padded
	needs []uint16 // binFile: PIN EFs any one of which must be verified to read (none: free)
	pin   pin.ID   // pinFile: which PIN; keyFile: which PIN unlocks it
	pinEF uint16   // keyFile: the PIN EF that must be verified
	key   *rsa.PrivateKey
}

type applet struct {
	aid   []byte
	files map[uint16]*file
}

// Card is the virtual card. Its methods are safe for concurrent use; each
// APDU is processed whole under a lock.
type Card struct {
	mu       sync.Mutex
	st       *State
	applets  []*applet
	cur      *applet
	ef       uint16
	verified map[uint16]bool // PIN EFs of the current applet verified since it was selected
	pending  []byte          // answer waiting for GET RESPONSE (T=0 style)
	tamper   bool            // serve altered 券面 data

	// T0 makes the card answer like a T=0 card: 61xx with GET RESPONSE for
	// data of case-4 commands, and 6Cxx when Le does not fit.
	T0 bool
}

// Option changes how a card answers.
type Option func(*Card)

// TamperChipData serves 券面 data altered after J-LIS's (the test PKI's)
// signature: a forged card, for the tests of the authenticity check.
func TamperChipData() Option { return func(c *Card) { c.tamper = true } }

// filePad is the size certificate files are padded to, with FF bytes after
// the DER object, as on a real card.
const filePad = 0x0800

func padded(der []byte) []byte {
	n := filePad
	for n < len(der) {
		n += filePad
	}
	out := bytes.Repeat([]byte{0xFF}, n)
	copy(out, der)
	return out
}

// New builds a card over st.
func New(st *State, opts ...Option) *Card {
	c := &Card{st: st, verified: map[uint16]bool{}}
	for _, o := range opts {
		o(c)
	}
	p := st.pki
	token := bytes.Repeat([]byte{0x00}, 160)
	copy(token, bytes.Repeat([]byte{' '}, 32))
	copy(token, st.f.Label)
	avail := []byte{0x8F, 0x8F, 0x00}
	signCert := padded(p.signDER)
	if st.f.NoSignCert {
		avail[0] = 0x00
		signCert = bytes.Repeat([]byte{0xFF}, filePad)
	}
	c.applets = append(c.applets, &applet{aid: jpki.AIDJPKI, files: map[uint16]*file{
		jpki.EFSignCert:  {kind: binFile, data: signCert, needs: []uint16{jpki.EFSignPIN}},
		jpki.EFSignCA:    {kind: binFile, data: padded(p.rootDER)},
		jpki.EFTokenInfo: {kind: binFile, data: token},
		jpki.EFCertAvail: {kind: binFile, data: avail},
		jpki.EFAuthCert:  {kind: binFile, data: padded(p.authDER)},
		jpki.EFAuthCA:    {kind: binFile, data: padded(p.rootDER)},
		jpki.EFAuthKey:   {kind: keyFile, pin: pin.Auth, pinEF: jpki.EFAuthPIN, key: p.authKey},
		jpki.EFAuthPIN:   {kind: pinFile, pin: pin.Auth},
		jpki.EFSignKey:   {kind: keyFile, pin: pin.Sign, pinEF: jpki.EFSignPIN, key: p.signKey},
		jpki.EFSignPIN:   {kind: pinFile, pin: pin.Sign},
	}})
	c.applets = append(c.applets, c.textApplet())
	c.applets = append(c.applets, c.visualApplet()...)
	if !st.f.NoJuki {
		c.applets = append(c.applets, &applet{aid: jpki.AIDJuki, files: map[uint16]*file{
			jpki.EFJukiPIN: {kind: pinFile, pin: pin.Juki},
		}})
	}
	return c
}

// State returns the card's state.
func (c *Card) State() *State { return c.st }

// ATR returns the answer to reset.
func (c *Card) ATR() []byte { return append([]byte(nil), ATR...) }

// Reset is a warm or cold reset (or power off): nothing stays selected or
// verified.
func (c *Card) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur, c.ef, c.pending = nil, 0, nil
	clear(c.verified)
}

// Transmit processes one command APDU; it makes Card an apdu.Transport.
func (c *Card) Transmit(cmd []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, sw := c.process(cmd)
	out := make([]byte, 0, len(data)+2)
	out = append(out, data...)
	return append(out, byte(sw>>8), byte(sw)), nil
}

func (c *Card) process(raw []byte) ([]byte, apdu.SW) {
	cmd, err := apdu.Parse(raw)
	if err != nil {
		return nil, apdu.SWWrongLength
	}
	if cmd.INS != 0xC0 {
		c.pending = nil
	}
	switch {
	case cmd.CLA == 0x00:
	case cmd.CLA == 0x80 && cmd.INS == 0x2A:
	default:
		if cmd.CLA == 0x80 {
			return nil, apdu.SWINSNotSupported
		}
		return nil, apdu.SWCLANotSupported
	}
	switch cmd.INS {
	case 0xA4:
		return c.selectFile(cmd)
	case 0xB0:
		return c.readBinary(cmd)
	case 0x20:
		return c.verify(cmd)
	case 0x24:
		return c.change(cmd)
	case 0x2C:
		return c.resetRetry(cmd)
	case 0x2A:
		return c.sign(cmd)
	case 0xC0:
		return c.getResponse(cmd)
	}
	return nil, apdu.SWINSNotSupported
}

func (c *Card) selectFile(cmd apdu.Command) ([]byte, apdu.SW) {
	switch cmd.P1 {
	case 0x04:
		// Other drivers probe for their applets with P2 00 or 0C: an AID
		// that is not ours is 6A 82 whatever P2 says.
		for _, a := range c.applets {
			if bytes.Equal(a.aid, cmd.Data) && (cmd.P2 == 0x0C || cmd.P2 == 0x00) {
				c.cur, c.ef = a, 0
				clear(c.verified)
				return nil, apdu.SWOK
			}
		}
		return nil, apdu.SWFileNotFound
	case 0x02:
		if cmd.P2 != 0x0C && cmd.P2 != 0x00 {
			return nil, apdu.SWIncorrectP1P2
		}
		if len(cmd.Data) != 2 {
			return nil, apdu.SWWrongLength
		}
		fid := uint16(cmd.Data[0])<<8 | uint16(cmd.Data[1])
		if c.cur == nil || c.cur.files[fid] == nil {
			return nil, apdu.SWFileNotFound
		}
		c.ef = fid
		return nil, apdu.SWOK
	}
	return nil, apdu.SWIncorrectP1P2
}

func (c *Card) current() *file {
	if c.cur == nil || c.ef == 0 {
		return nil
	}
	return c.cur.files[c.ef]
}

func (c *Card) readBinary(cmd apdu.Command) ([]byte, apdu.SW) {
	if cmd.P1&0x80 != 0 {
		return nil, apdu.SWIncorrectP1P2 // short-EF addressing is not offered
	}
	f := c.current()
	if f == nil || f.kind != binFile {
		return nil, apdu.SWNoCurrentEF
	}
	if len(f.needs) > 0 {
		ok := false
		for _, ef := range f.needs {
			ok = ok || c.verified[ef]
		}
		if !ok {
			return nil, apdu.SWSecurityNotSat
		}
	}
	off := int(cmd.P1)<<8 | int(cmd.P2)
	if off >= len(f.data) {
		return nil, apdu.SWWrongP1P2
	}
	le := cmd.Le
	if le == apdu.NoLe {
		le = 256
	}
	n := min(le, len(f.data)-off)
	if n < le {
		if c.T0 {
			return nil, apdu.SW(0x6C00 | uint16(n&0xFF))
		}
		return append([]byte(nil), f.data[off:off+n]...), apdu.SWEndOfFile
	}
	return append([]byte(nil), f.data[off:off+n]...), apdu.SWOK
}

// pinRecord returns the record behind the current PIN EF.
func (c *Card) currentPIN() (*file, bool) {
	f := c.current()
	return f, f != nil && f.kind == pinFile
}

func triesSW(n int) apdu.SW { return apdu.SW(0x63C0 | uint16(n&0x0F)) }

func (c *Card) verify(cmd apdu.Command) ([]byte, apdu.SW) {
	if cmd.P1 != 0x00 || cmd.P2 != 0x80 {
		return nil, apdu.SWIncorrectP1P2
	}
	f, ok := c.currentPIN()
	if !ok {
		return nil, apdu.SWNoCurrentEF
	}
	rec := c.st.f.PINs[f.pin]
	if len(cmd.Data) == 0 {
		// Status query: uses no try. A real card answers 63 Cx here even
		// when the PIN is verified, and 63 C0 when it is blocked (OpenSC's
		// JPKI driver depends on it and fails the token on anything else).
		return nil, triesSW(rec.Tries)
	}
	if rec.Tries == 0 {
		return nil, apdu.SWAuthBlocked
	}
	if rec.matches(cmd.Data) {
		spec, _ := pin.SpecOf(f.pin)
		if rec.Tries != spec.MaxTries {
			rec.Tries = spec.MaxTries
			if !c.commit(f.pin, rec) {
				return nil, apdu.SWMemoryFailure
			}
		}
		c.verified[c.ef] = true
		return nil, apdu.SWOK
	}
	rec.Tries--
	delete(c.verified, c.ef)
	if !c.commit(f.pin, rec) {
		return nil, apdu.SWMemoryFailure
	}
	return nil, triesSW(rec.Tries)
}

// commit stores a PIN record and persists it before the card answers.
func (c *Card) commit(id pin.ID, rec pinRecord) bool {
	old := c.st.f.PINs[id]
	c.st.f.PINs[id] = rec
	if err := c.st.save(); err != nil {
		c.st.f.PINs[id] = old
		return false
	}
	return true
}

// validNew checks a new PIN's format as the card does.
func validNew(id pin.ID, b []byte) bool {
	spec, _ := pin.SpecOf(id)
	if len(b) < spec.MinLen || len(b) > spec.MaxLen {
		return false
	}
	for _, ch := range b {
		if !(ch >= '0' && ch <= '9' || !spec.Digits && ch >= 'A' && ch <= 'Z') {
			return false
		}
	}
	return true
}

func (c *Card) change(cmd apdu.Command) ([]byte, apdu.SW) {
	if cmd.P1 != 0x01 || cmd.P2 != 0x80 {
		return nil, apdu.SWIncorrectP1P2
	}
	f, ok := c.currentPIN()
	if !ok {
		return nil, apdu.SWNoCurrentEF
	}
	if !c.verified[c.ef] {
		return nil, apdu.SWSecurityNotSat
	}
	if !validNew(f.pin, cmd.Data) {
		return nil, apdu.SWWrongData
	}
	rec := c.st.f.PINs[f.pin]
	if err := rec.set(cmd.Data); err != nil || !c.commit(f.pin, rec) {
		return nil, apdu.SWMemoryFailure
	}
	return nil, apdu.SWOK
}

// resetCodeLen is the length of the virtual card's reset code.
const resetCodeLen = 8

// resetRetry is RESET RETRY COUNTER with P1=00: data is the 8-character reset
// code followed by the new PIN. Only the virtual card offers it.
func (c *Card) resetRetry(cmd apdu.Command) ([]byte, apdu.SW) {
	if c.st.f.Reset == nil {
		return nil, apdu.SWINSNotSupported
	}
	if cmd.P1 != 0x00 || cmd.P2 != 0x80 {
		return nil, apdu.SWIncorrectP1P2
	}
	f, ok := c.currentPIN()
	if !ok {
		return nil, apdu.SWNoCurrentEF
	}
	if len(cmd.Data) <= resetCodeLen {
		return nil, apdu.SWWrongLength
	}
	rc := *c.st.f.Reset
	if rc.Tries == 0 {
		return nil, apdu.SWAuthBlocked
	}
	code, newPIN := cmd.Data[:resetCodeLen], cmd.Data[resetCodeLen:]
	if !rc.matches(code) {
		rc.Tries--
		old := *c.st.f.Reset
		*c.st.f.Reset = rc
		if c.st.save() != nil {
			*c.st.f.Reset = old
			return nil, apdu.SWMemoryFailure
		}
		return nil, triesSW(rc.Tries)
	}
	if !validNew(f.pin, newPIN) {
		return nil, apdu.SWWrongData
	}
	spec, _ := pin.SpecOf(f.pin)
	rec := c.st.f.PINs[f.pin]
	if err := rec.set(newPIN); err != nil {
		return nil, apdu.SWMemoryFailure
	}
	rec.Tries = spec.MaxTries
	old := *c.st.f.Reset
	c.st.f.Reset.Tries = resetTries
	if !c.commit(f.pin, rec) {
		*c.st.f.Reset = old
		return nil, apdu.SWMemoryFailure
	}
	return nil, apdu.SWOK
}

func (c *Card) sign(cmd apdu.Command) ([]byte, apdu.SW) {
	if cmd.CLA != 0x80 {
		return nil, apdu.SWCLANotSupported
	}
	if cmd.P1 != 0x00 || cmd.P2 != 0x80 {
		return nil, apdu.SWIncorrectP1P2
	}
	f := c.current()
	if f == nil || f.kind != keyFile {
		return nil, apdu.SWNoCurrentEF
	}
	if !c.verified[f.pinEF] {
		return nil, apdu.SWSecurityNotSat
	}
	k := f.key.Size()
	if len(cmd.Data) == 0 || len(cmd.Data) > k-11 {
		return nil, apdu.SWWrongLength
	}
	// Hash 0: the data is padded (PKCS#1 v1.5, type 1) and signed as given.
	sig, err := rsa.SignPKCS1v15(rand.Reader, f.key, 0, cmd.Data)
	if err != nil {
		return nil, apdu.SWUnknown
	}
	return c.answer(sig, cmd.Le)
}

// answer returns data for a case-4 command, through GET RESPONSE in T0 mode.
func (c *Card) answer(data []byte, le int) ([]byte, apdu.SW) {
	if !c.T0 {
		return data, apdu.SWOK
	}
	c.pending = data
	return nil, apdu.SW(0x6100 | uint16(min(len(data), 256)&0xFF))
}

func (c *Card) getResponse(cmd apdu.Command) ([]byte, apdu.SW) {
	if c.pending == nil {
		return nil, apdu.SWCondNotSatisfied
	}
	le := cmd.Le
	if le == apdu.NoLe {
		le = 256
	}
	n := min(le, len(c.pending))
	out := c.pending[:n]
	c.pending = c.pending[n:]
	if len(c.pending) == 0 {
		c.pending = nil
		return out, apdu.SWOK
	}
	return out, apdu.SW(0x6100 | uint16(min(len(c.pending), 256)&0xFF))
}
