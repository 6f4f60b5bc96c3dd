package vcard

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/internal/atomicfile"
)

// Config chooses what a new virtual card holds. PINs are given in clear here
// and kept only as salted hashes in the state directory.
type Config struct {
	Holder     Holder `json:"holder"`
	Label      string `json:"label,omitempty"`        // token label; default JPKIAPICCTOKEN2
	SignPIN    string `json:"sign_pin,omitempty"`     // default TEST1234
	AuthPIN    string `json:"auth_pin,omitempty"`     // default 1234
	TextPIN    string `json:"text_pin,omitempty"`     // default 1234
	JukiPIN    string `json:"juki_pin,omitempty"`     // default 1234
	ResetCode  string `json:"reset_code,omitempty"`   // enables RESET RETRY COUNTER; empty: refused like a real card
	NoSignCert bool   `json:"no_sign_cert,omitempty"` // a holder under 15: no signing certificate
	NoJuki     bool   `json:"no_juki,omitempty"`      // no 住基 applet
	// Identity is the holder the 券面 applets carry; empty fields take
	// DefaultIdentity's. Its My Number is 照合番号A; its birth date, expiry
	// and security code make 照合番号B.
	Identity Identity `json:"identity,omitempty"`
}

func (c *Config) defaults() {
	if c.Holder == (Holder{}) {
		c.Holder = DefaultHolder
	}
	if c.Label == "" {
		c.Label = "JPKIAPICCTOKEN2"
	}
	for _, p := range []struct {
		v *string
		d string
	}{{&c.SignPIN, "TEST1234"}, {&c.AuthPIN, "1234"}, {&c.TextPIN, "1234"}, {&c.JukiPIN, "1234"}} {
		if *p.v == "" {
			*p.v = p.d
		}
	}
}

// pinRecord is one PIN's persistent state.
type pinRecord struct {
	Salt  string `json:"salt"`
	Hash  string `json:"hash"`
	Tries int    `json:"tries"`
}

func newPINRecord(id pin.ID, value string) (pinRecord, error) {
	spec, _ := pin.SpecOf(id)
	s, err := pin.Parse(id, []byte(value))
	if err != nil {
		return pinRecord{}, fmt.Errorf("%s PIN: %w", id, err)
	}
	defer s.Wipe()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return pinRecord{}, err
	}
	return pinRecord{Salt: hex.EncodeToString(salt), Hash: hashPIN(salt, s.Bytes()), Tries: spec.MaxTries}, nil
}

func hashPIN(salt, p []byte) string {
	h := sha256.New()
	h.Write(salt)
	h.Write(p)
	return hex.EncodeToString(h.Sum(nil))
}

func (r *pinRecord) matches(p []byte) bool {
	salt, _ := hex.DecodeString(r.Salt)
	return subtle.ConstantTimeCompare([]byte(hashPIN(salt, p)), []byte(r.Hash)) == 1
}

func (r *pinRecord) set(p []byte) error {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return err
	}
	r.Salt, r.Hash = hex.EncodeToString(salt), hashPIN(salt, p)
	return nil
}

// stateFile is what state.json holds.
type stateFile struct {
	Version    int                  `json:"version"`
	Label      string               `json:"label"`
	Holder     Holder               `json:"holder"`
	NoSignCert bool                 `json:"no_sign_cert,omitempty"`
	NoJuki     bool                 `json:"no_juki,omitempty"`
	PINs       map[pin.ID]pinRecord `json:"pins"`
	Reset      *pinRecord           `json:"reset_code,omitempty"`
	Identity   *Identity            `json:"identity,omitempty"`
	Chip       *chipFiles           `json:"chip,omitempty"`
}

// State is a virtual card's persistent content: keys, certificates, PINs and
// retry counters. With a directory, every change is written before the card
// answers, so a locked PIN stays locked after a restart.
type State struct {
	dir  string
	f    stateFile
	pki  *pki
	root *x509.Certificate
}

const (
	stateVersion = 1
	resetTries   = 10
	fileState    = "state.json"
	fileRootCert = "test-root.pem"
	fileKeys     = "keys.pem"
	fileCerts    = "certs.pem"
)

// NewState generates a card in memory (dir "") or in dir, which must not
// hold a card already.
func NewState(dir string, cfg Config) (*State, error) {
	cfg.defaults()
	st := &State{f: stateFile{Version: stateVersion, Label: cfg.Label, Holder: cfg.Holder, NoSignCert: cfg.NoSignCert, NoJuki: cfg.NoJuki, PINs: map[pin.ID]pinRecord{}}}
	for id, v := range map[pin.ID]string{pin.Sign: cfg.SignPIN, pin.Auth: cfg.AuthPIN, pin.Text: cfg.TextPIN, pin.Juki: cfg.JukiPIN} {
		r, err := newPINRecord(id, v)
		if err != nil {
			return nil, err
		}
		st.f.PINs[id] = r
	}
	if cfg.ResetCode != "" {
		if err := st.SetResetCode(cfg.ResetCode); err != nil {
			return nil, err
		}
	}
	id := cfg.Identity
	id.defaults()
	if err := id.check(); err != nil {
		return nil, err
	}
	codeB, _ := id.CodeB()
	for pid, v := range map[pin.ID]string{pin.TextA: id.MyNumber, pin.VisualA: id.MyNumber, pin.TextB: codeB, pin.VisualB: codeB} {
		r, err := newPINRecord(pid, v)
		if err != nil {
			return nil, err
		}
		st.f.PINs[pid] = r
	}
	p, err := generate(cfg.Holder, time.Now())
	if err != nil {
		return nil, err
	}
	st.pki = p
	if st.f.Chip, err = buildChip(id, p.rootKey); err != nil {
		return nil, err
	}
	id.PhotoFile = "" // the photo is in the chip files now
	st.f.Identity = &id
	st.root, _ = x509.ParseCertificate(p.rootDER)
	if dir != "" {
		st.dir = dir
		if _, err := os.Stat(filepath.Join(dir, fileState)); err == nil {
			return nil, fmt.Errorf("%s already holds a virtual card", dir)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		if err := st.writeKeys(); err != nil {
			return nil, err
		}
		if err := st.save(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// LoadState opens the card in dir.
func LoadState(dir string) (*State, error) {
	raw, err := os.ReadFile(filepath.Join(dir, fileState))
	if err != nil {
		return nil, err
	}
	st := &State{dir: dir}
	if err := json.Unmarshal(raw, &st.f); err != nil {
		return nil, fmt.Errorf("%s: %w", fileState, err)
	}
	if st.f.Version != stateVersion {
		return nil, fmt.Errorf("%s: unknown version %d", fileState, st.f.Version)
	}
	st.pki = &pki{}
	keys, err := readPEM(filepath.Join(dir, fileKeys), "PRIVATE KEY", 3)
	if err != nil {
		return nil, err
	}
	certs, err := readPEM(filepath.Join(dir, fileCerts), "CERTIFICATE", 3)
	if err != nil {
		return nil, err
	}
	for i, k := range []**rsa.PrivateKey{&st.pki.rootKey, &st.pki.signKey, &st.pki.authKey} {
		key, err := x509.ParsePKCS8PrivateKey(keys[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fileKeys, err)
		}
		rk, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%s: key %d is not RSA", fileKeys, i)
		}
		*k = rk
	}
	st.pki.rootDER, st.pki.signDER, st.pki.authDER = certs[0], certs[1], certs[2]
	if st.root, err = x509.ParseCertificate(certs[0]); err != nil {
		return nil, err
	}
	return st, nil
}

// OpenOrCreate loads the card in dir, or creates one with cfg if dir holds
// none.
func OpenOrCreate(dir string, cfg Config) (*State, error) {
	st, err := LoadState(dir)
	if errors.Is(err, os.ErrNotExist) {
		return NewState(dir, cfg)
	}
	return st, err
}

func readPEM(path, typ string, n int) ([][]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for {
		var b *pem.Block
		b, raw = pem.Decode(raw)
		if b == nil {
			break
		}
		if b.Type == typ {
			out = append(out, b.Bytes)
		}
	}
	if len(out) != n {
		return nil, fmt.Errorf("%s: want %d %s blocks, found %d", path, n, typ, len(out))
	}
	return out, nil
}

func (st *State) writeKeys() error {
	var keys, certs []byte
	for _, k := range []*rsa.PrivateKey{st.pki.rootKey, st.pki.signKey, st.pki.authKey} {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return err
		}
		keys = append(keys, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})...)
	}
	for _, c := range [][]byte{st.pki.rootDER, st.pki.signDER, st.pki.authDER} {
		certs = append(certs, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c})...)
	}
	if err := atomicfile.Write(filepath.Join(st.dir, fileKeys), keys, 0o600); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(st.dir, fileCerts), certs, 0o644); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(st.dir, fileRootCert), st.RootPEM(), 0o644)
}

// save writes state.json atomically (no-op in memory).
func (st *State) save() error {
	if st.dir == "" {
		return nil
	}
	raw, err := json.MarshalIndent(&st.f, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(st.dir, fileState), raw, 0o600)
}

// RootPEM is the test root certificate, to trust in developer mode.
func (st *State) RootPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: st.pki.rootDER})
}

// Root is the test root certificate.
func (st *State) Root() *x509.Certificate { return st.root }

// RootSigner is the test root's private key, for developer tools and tests
// that issue what a CA would (a CRL revoking the card's certificate).
func (st *State) RootSigner() crypto.Signer { return st.pki.rootKey }

// SignCertDER and AuthCertDER are the leaf certificates.
func (st *State) SignCertDER() []byte { return st.pki.signDER }
func (st *State) AuthCertDER() []byte { return st.pki.authDER }

// Identity returns the test holder of the 券面 applets (nil on a card made
// before they existed).
func (st *State) Identity() *Identity {
	if st.f.Identity == nil {
		return nil
	}
	id := *st.f.Identity
	return &id
}

// Info is what `shomei vcard info` prints: the test identity and every PIN
// in clear (a test card keeps no secret worth hiding), 照合番号B as PinB.
type Info struct {
	Label    string            `json:"label"`
	Identity *Identity         `json:"identity,omitempty"`
	PinB     string            `json:"pin_b,omitempty"`
	PinA     string            `json:"pin_a,omitempty"`
	Tries    map[pin.ID]int    `json:"tries"`
	PINs     map[string]string `json:"pins,omitempty"`
}

// Info describes the card. The chosen PINs are kept only as hashes, so they
// are given only when cfg names them (the config the card was made with).
func (st *State) Info(cfg Config) Info {
	cfg.defaults()
	in := Info{Label: st.f.Label, Identity: st.Identity(), Tries: map[pin.ID]int{}}
	for id, r := range st.f.PINs {
		in.Tries[id] = r.Tries
	}
	if in.Identity != nil {
		in.PinA = in.Identity.MyNumber
		in.PinB, _ = in.Identity.CodeB()
	}
	in.PINs = map[string]string{}
	for id, v := range map[pin.ID]string{pin.Sign: cfg.SignPIN, pin.Auth: cfg.AuthPIN, pin.Text: cfg.TextPIN, pin.Juki: cfg.JukiPIN} {
		if r, ok := st.f.PINs[id]; ok && r.matches([]byte(strings.ToUpper(v))) {
			in.PINs[string(id)] = strings.ToUpper(v)
		}
	}
	return in
}

// Tries returns the tries left of a PIN as stored.
func (st *State) Tries(id pin.ID) int { return st.f.PINs[id].Tries }

// Clone copies an in-memory state (keys shared, counters copied): tests
// generate keys once and hand each test a fresh card.
func (st *State) Clone() *State {
	c := *st
	c.dir = ""
	c.f.PINs = map[pin.ID]pinRecord{}
	for k, v := range st.f.PINs {
		c.f.PINs[k] = v
	}
	if st.f.Reset != nil {
		r := *st.f.Reset
		c.f.Reset = &r
	}
	return &c
}

// SetResetCode enables (or, with "", disables) RESET RETRY COUNTER.
func (st *State) SetResetCode(code string) error {
	if code == "" {
		st.f.Reset = nil
		return st.save()
	}
	if len(code) != resetCodeLen {
		return fmt.Errorf("reset code must be %d characters", resetCodeLen)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return err
	}
	st.f.Reset = &pinRecord{Salt: hex.EncodeToString(salt), Hash: hashPIN(salt, []byte(code)), Tries: resetTries}
	return st.save()
}
