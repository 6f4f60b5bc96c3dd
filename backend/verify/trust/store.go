package trust

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/shomei-app/shomei/internal/atomicfile"
)

// Sources of an anchor.
const (
	SourceJLIS = "jlis" // a J-LIS root whose bytes match a pin
	SourceUser = "user" // added by the user (a company CA, the virtual card's test root)
)

// Anchor is one trust anchor.
type Anchor struct {
	Cert   *x509.Certificate
	Name   string // "signca02" for a pinned J-LIS root; the user's label otherwise
	Source string // SourceJLIS | SourceUser
	Test   bool   // a test root: its subject says so ("Shomei Test CA - NOT FOR PRODUCTION", O=JPKI-TEST, …)
	SHA256 string // of the DER certificate, hex upper case
	// Builtin: a J-LIS root shipped in the binary (builtin.go), present in
	// every store; it cannot be removed, only added again as a file.
	Builtin bool
}

// Errors of the store. They carry no certificate content beyond a
// fingerprint.
var (
	ErrNotPinned = errors.New("the certificate's SHA-256 matches no pinned J-LIS root")
	ErrNotFound  = errors.New("no trust anchor with this SHA-256")
	ErrBadHex    = errors.New("a SHA-256 fingerprint is 64 hexadecimal digits")
	ErrCorrupt   = errors.New("the trust anchor file is damaged or was changed outside Shomei")
)

// NotPinnedError says which fingerprint was refused.
type NotPinnedError struct{ SHA256 string }

func (e *NotPinnedError) Error() string { return ErrNotPinned.Error() + ": " + e.SHA256 }
func (e *NotPinnedError) Unwrap() error { return ErrNotPinned }

// IsTestRoot reports whether c's subject says it is a test certificate: a
// word "test" in any attribute (the virtual card's "Shomei Test CA - NOT
// FOR PRODUCTION", J-LIS's O=JPKI-TEST). Such a root is never a J-LIS root.
func IsTestRoot(c *x509.Certificate) bool {
	for _, a := range c.Subject.Names {
		v, ok := a.Value.(string)
		if !ok {
			continue
		}
		for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if strings.EqualFold(w, "test") {
				return true
			}
		}
	}
	return false
}

// Store holds the trust anchors. A store from Load writes every change
// through to its directory; one from NewStore lives in memory.
type Store struct {
	mu      sync.Mutex
	dir     string
	anchors []Anchor
}

// NewStore returns an empty store in memory.
func NewStore() *Store { return &Store{} }

const anchorsFile = "anchors.json"

type storedFile struct {
	Version int            `json:"version"`
	Anchors []storedAnchor `json:"anchors"`
}

type storedAnchor struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
	DER    []byte `json:"der"`
}

// Load reads the anchors kept under dir (appdir.Data()+"/trust"). A missing
// directory or file is an empty store. Every later Add or Remove is written
// back atomically.
func Load(dir string) (*Store, error) {
	as, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	return &Store{dir: dir, anchors: as}, nil
}

func readDir(dir string) ([]Anchor, error) {
	raw, err := os.ReadFile(filepath.Join(dir, anchorsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var f storedFile
	if err := json.Unmarshal(raw, &f); err != nil || f.Version != 1 {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, anchorsFile), ErrCorrupt)
	}
	var out []Anchor
	for i, sa := range f.Anchors {
		bad := func(why string) error {
			return fmt.Errorf("%s: anchor %d (%s): %s: %w", filepath.Join(dir, anchorsFile), i+1, sa.Name, why, ErrCorrupt)
		}
		c, err := x509.ParseCertificate(sa.DER)
		if err != nil {
			return nil, bad("not a certificate")
		}
		a := anchorOf(c)
		if a.SHA256 != sa.SHA256 {
			return nil, bad("fingerprint differs from the certificate")
		}
		switch sa.Source {
		case SourceJLIS:
			p, ok := pinFor(a.SHA256)
			if !ok {
				return nil, bad("marked as a J-LIS root but matches no pin")
			}
			a.Source, a.Name = SourceJLIS, p.Name
		case SourceUser:
			a.Source, a.Name = SourceUser, sa.Name
		default:
			return nil, bad("unknown source")
		}
		out = append(out, a)
	}
	sortAnchors(out)
	return out, nil
}

// anchorOf fills the parts of an Anchor that follow from the certificate.
func anchorOf(c *x509.Certificate) Anchor {
	return Anchor{Cert: c, SHA256: Fingerprint(c.Raw), Test: IsTestRoot(c)}
}

// jlisAnchor returns the J-LIS anchor for der when its fingerprint is pinned.
func jlisAnchor(der []byte) (Anchor, error) {
	fp := Fingerprint(der)
	p, ok := pinFor(fp)
	if !ok {
		return Anchor{}, &NotPinnedError{SHA256: fp}
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		// A pinned fingerprint over bytes Go cannot parse: the pins are wrong.
		return Anchor{}, fmt.Errorf("pinned root %s does not parse: %v", p.Name, err)
	}
	a := anchorOf(c)
	a.Source, a.Name = SourceJLIS, p.Name
	return a, nil
}

// AddJLIS adds a J-LIS root. It is accepted only when the SHA-256 of der
// matches a pin; anything else gets a *NotPinnedError. Adding a root that is
// there already is not an error.
func (s *Store) AddJLIS(der []byte) (Anchor, error) {
	a, err := jlisAnchor(der)
	if err != nil {
		return Anchor{}, err
	}
	return a, s.put(a)
}

// AddUser adds an anchor on the user's own decision, labelled label (the
// subject's common name when empty). Bytes that match a J-LIS pin are added
// as that J-LIS root instead: Source tells which happened. Adding an anchor
// again replaces its label.
func (s *Store) AddUser(der []byte, label string) (Anchor, error) {
	if a, err := jlisAnchor(der); err == nil {
		return a, s.put(a)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return Anchor{}, fmt.Errorf("%v: %w", err, ErrNoCertificate)
	}
	a := anchorOf(c)
	a.Source = SourceUser
	a.Name = strings.TrimSpace(label)
	if a.Name == "" {
		a.Name = c.Subject.CommonName
	}
	if a.Name == "" {
		a.Name = a.SHA256[:16]
	}
	return a, s.put(a)
}

// Remove removes the anchor whose SHA-256 is fp (any case; colons and
// spaces allowed).
func (s *Store) Remove(fp string) error {
	n := normFingerprint(fp)
	if n == "" {
		return ErrBadHex
	}
	return s.change(func(as []Anchor) ([]Anchor, error) {
		for i, a := range as {
			if a.SHA256 == n {
				return append(as[:i:i], as[i+1:]...), nil
			}
		}
		return nil, ErrNotFound
	})
}

func (s *Store) put(a Anchor) error {
	return s.change(func(as []Anchor) ([]Anchor, error) {
		for i, old := range as {
			if old.SHA256 == a.SHA256 {
				as[i] = a
				return as, nil
			}
		}
		return append(as, a), nil
	})
}

// change applies f to the anchors. With a directory, it starts from what is
// on disk (another Shomei process may have changed it) and writes the result
// atomically before the store takes it: a failed write changes nothing.
func (s *Store) change(f func([]Anchor) ([]Anchor, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := append([]Anchor(nil), s.anchors...)
	if s.dir != "" {
		disk, err := readDir(s.dir)
		if err != nil {
			return err
		}
		cur = disk
	}
	next, err := f(cur)
	if err != nil {
		return err
	}
	sortAnchors(next)
	if s.dir != "" {
		if err := writeDir(s.dir, next); err != nil {
			return err
		}
	}
	s.anchors = next
	return nil
}

// Anchors returns the anchors kept in the store: J-LIS roots in pin order,
// then the user's by label. Chains also reach the shipped roots (Builtin),
// which are not listed here.
func (s *Store) Anchors() []Anchor {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Anchor(nil), s.anchors...)
}

// Save writes the anchors under dir atomically. A store from Load saves by
// itself; Save is for a store built in memory.
func (s *Store) Save(dir string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return writeDir(dir, s.anchors)
}

func pinIndex(name string) int {
	for i, p := range pins {
		if p.Name == name {
			return i
		}
	}
	return len(pins)
}

func sortAnchors(as []Anchor) {
	sort.SliceStable(as, func(i, j int) bool {
		a, b := as[i], as[j]
		if a.Source != b.Source {
			return a.Source == SourceJLIS
		}
		if a.Source == SourceJLIS {
			return pinIndex(a.Name) < pinIndex(b.Name)
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.SHA256 < b.SHA256
	})
}

func writeDir(dir string, as []Anchor) error {
	f := storedFile{Version: 1, Anchors: []storedAnchor{}}
	for _, a := range as {
		f.Anchors = append(f.Anchors, storedAnchor{Name: a.Name, Source: a.Source, SHA256: a.SHA256, DER: a.Cert.Raw})
	}
	raw, err := json.MarshalIndent(&f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, anchorsFile), append(raw, '\n'), 0o600)
}
