package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/shomei-app/shomei/backend/verify/finding"
	"github.com/shomei-app/shomei/internal/smallfile"
)

// Revocation statuses.
const (
	RevNotChecked = "not_checked" // no CRL was given
	RevGood       = "good"        // a CRL fit for the time says it was not revoked then
	RevRevoked    = "revoked"     // revoked at or before the time checked
	RevUnknown    = "unknown"     // no usable CRL from this issuer for this time
)

// Revocation is what the CRLs say of one certificate at one time.
type Revocation struct {
	Status string
	// Source names the CRL that decided: its file, issuer, thisUpdate and
	// nextUpdate, as data ("x.crl [issuer; this – next]").
	Source string
	Why    finding.List // for unknown (and not_checked): why no CRL could decide
	// RevokedAt is the revocation time when the CRL lists the certificate:
	// with Status revoked, at or before the time checked; with Status good,
	// after it (revoked later, which does not undo an earlier signature).
	RevokedAt *time.Time
	Reason    string // RFC 5280 reason name, when listed
}

type crlFile struct {
	path     string
	crl      *x509.RevocationList
	bySerial map[string]int // serial (hex) → index in RevokedCertificateEntries
}

// CRLs are certificate revocation lists the user gave. They are safe for
// concurrent use.
type CRLs struct {
	list []crlFile
	mu   sync.Mutex
	sigs map[sigKey]error // CRL signature checks already made
}

type sigKey struct {
	crl    int
	issuer string // SHA-256 of the issuer certificate
}

// signedBy checks, once per CRL and issuer, that issuer signed CRL i.
func (c *CRLs) signedBy(i int, issuer *x509.Certificate) error {
	k := sigKey{i, Fingerprint(issuer.Raw)}
	c.mu.Lock()
	err, done := c.sigs[k]
	c.mu.Unlock()
	if done {
		return err
	}
	err = c.list[i].crl.CheckSignatureFrom(issuer)
	c.mu.Lock()
	if c.sigs == nil {
		c.sigs = map[sigKey]error{}
	}
	c.sigs[k] = err
	c.mu.Unlock()
	return err
}

// maxCRLFile bounds a CRL file. Real CRLs of large CAs run to tens of
// megabytes.
const maxCRLFile = 64 << 20 // 400,000 entries (maxCRLEntries) take about 20 MB

// LoadCRLs reads CRL files, DER or PEM (X509 CRL blocks, several allowed).
// Their signatures are checked later, by Check, against the issuer it is
// given.
func LoadCRLs(paths ...string) (*CRLs, error) {
	c := &CRLs{}
	for _, p := range paths {
		raw, err := smallfile.Read(p, maxCRLFile)
		if err != nil {
			return nil, err
		}
		ders := [][]byte{raw}
		if bytes.Contains(raw, []byte("-----BEGIN")) {
			ders = nil
			rest := raw
			for {
				var b *pem.Block
				b, rest = pem.Decode(rest)
				if b == nil {
					break
				}
				if b.Type == "X509 CRL" {
					ders = append(ders, b.Bytes)
				}
			}
			if len(ders) == 0 {
				return nil, fmt.Errorf("%s: no X509 CRL block", p)
			}
		}
		for i, der := range ders {
			f, err := parseCRL(der)
			if err != nil {
				return nil, fmt.Errorf("%s: CRL %d: %w", p, i+1, err)
			}
			f.path = p
			c.list = append(c.list, f)
		}
	}
	return c, nil
}

// maxCRLEntries bounds the revoked certificates of one CRL: crypto/x509
// keeps every entry in memory twice (about 0.5 KB each), so a list past
// this is refused with a clear error before it is parsed, not loaded
// whole. The count is taken by walking the DER without allocating.
var maxCRLEntries = 400_000

// ErrCRLTooLarge is the refusal of a CRL with more entries than Shomei
// loads.
var ErrCRLTooLarge = errors.New("the CRL lists more revoked certificates than Shomei loads")

// parseCRL reads one DER CRL.
func parseCRL(der []byte) (crlFile, error) {
	if n, ok := countCRLEntries(der); ok && n > maxCRLEntries {
		return crlFile{}, fmt.Errorf("%w (%d; at most %d)", ErrCRLTooLarge, n, maxCRLEntries)
	}
	rl, err := x509.ParseRevocationList(der)
	if err != nil {
		return crlFile{}, err
	}
	f := crlFile{crl: rl, bySerial: make(map[string]int, len(rl.RevokedCertificateEntries))}
	for j, e := range rl.RevokedCertificateEntries {
		if e.SerialNumber != nil {
			f.bySerial[e.SerialNumber.Text(16)] = j
		}
	}
	return f, nil
}

// countCRLEntries counts the revokedCertificates of a DER CRL without
// parsing them; ok is false when the structure is not the expected one
// (then crypto/x509 decides).
func countCRLEntries(der []byte) (n int, ok bool) {
	in := cryptobyte.String(der)
	var crl, tbs cryptobyte.String
	if !in.ReadASN1(&crl, cbasn1.SEQUENCE) || !crl.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return 0, false
	}
	// version? signature, issuer, thisUpdate, nextUpdate?, revokedCertificates?
	tbs.SkipOptionalASN1(cbasn1.INTEGER)
	if !tbs.SkipASN1(cbasn1.SEQUENCE) || !tbs.SkipASN1(cbasn1.SEQUENCE) {
		return 0, false
	}
	for i := 0; i < 2; i++ { // thisUpdate, then an optional nextUpdate
		if tbs.PeekASN1Tag(cbasn1.UTCTime) || tbs.PeekASN1Tag(cbasn1.GeneralizedTime) {
			var tm cryptobyte.String
			var tag cbasn1.Tag
			if !tbs.ReadAnyASN1(&tm, &tag) {
				return 0, false
			}
		}
	}
	var list cryptobyte.String
	if !tbs.PeekASN1Tag(cbasn1.SEQUENCE) {
		return 0, true
	}
	if !tbs.ReadASN1(&list, cbasn1.SEQUENCE) {
		return 0, false
	}
	for !list.Empty() {
		if !list.SkipASN1(cbasn1.SEQUENCE) {
			return n, false
		}
		n++
	}
	return n, true
}

var (
	oidCRLNumber        = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidDeltaCRL         = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidIssuingDP        = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidAKI              = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExpiredCertsOnCR = asn1.ObjectIdentifier{2, 5, 29, 60}
)

var reasons = map[int]string{
	0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged",
	4: "superseded", 5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL",
	9: "privilegeWithdrawn", 10: "aACompromise",
}

func describeCRL(f crlFile) string {
	s := fmt.Sprintf("%s [%s; %s", filepath.Base(f.path), f.crl.Issuer.String(), f.crl.ThisUpdate.UTC().Format(time.RFC3339))
	if !f.crl.NextUpdate.IsZero() {
		s += " – " + f.crl.NextUpdate.UTC().Format(time.RFC3339)
	}
	return s + "]"
}

// idp is the part of an issuingDistributionPoint that decides scope.
type idp struct {
	uris                          []string
	onlyUser, onlyCA, onlyReasons bool
	indirect, onlyAttr            bool
}

// parseIDP reads an issuingDistributionPoint (RFC 5280 §5.2.5, implicit tags).
func parseIDP(v []byte) (idp, error) {
	var out idp
	var seq asn1.RawValue
	if rest, err := asn1.Unmarshal(v, &seq); err != nil || len(rest) > 0 || seq.Tag != asn1.TagSequence {
		return out, errors.New("issuingDistributionPoint does not parse")
	}
	b := seq.Bytes
	for len(b) > 0 {
		var f asn1.RawValue
		rest, err := asn1.Unmarshal(b, &f)
		if err != nil || f.Class != asn1.ClassContextSpecific {
			return out, errors.New("issuingDistributionPoint does not parse")
		}
		b = rest
		flag := len(f.Bytes) == 1 && f.Bytes[0] != 0
		switch f.Tag {
		case 0: // distributionPoint: fullName [0] GeneralNames | nameRelativeToCRLIssuer [1]
			var name asn1.RawValue
			if _, err := asn1.Unmarshal(f.Bytes, &name); err != nil {
				return out, errors.New("issuingDistributionPoint name does not parse")
			}
			if name.Tag == 0 {
				gn := name.Bytes
				for len(gn) > 0 {
					var g asn1.RawValue
					r, err := asn1.Unmarshal(gn, &g)
					if err != nil {
						return out, errors.New("issuingDistributionPoint name does not parse")
					}
					gn = r
					if g.Class == asn1.ClassContextSpecific && g.Tag == 6 {
						out.uris = append(out.uris, string(g.Bytes))
					}
				}
			}
		case 1:
			out.onlyUser = flag
		case 2:
			out.onlyCA = flag
		case 3:
			out.onlyReasons = true
		case 4:
			out.indirect = flag
		case 5:
			out.onlyAttr = flag
		}
	}
	return out, nil
}

// scope says why f cannot speak for cert, or a zero Finding when it can.
func scope(f crlFile, cert *x509.Certificate) finding.Finding {
	d := describeCRL(f)
	for _, e := range f.crl.Extensions {
		switch {
		case e.Id.Equal(oidDeltaCRL):
			return finding.New(finding.RevDelta, d)
		case e.Id.Equal(oidIssuingDP):
			p, err := parseIDP(e.Value)
			if err != nil {
				return finding.New(finding.RevIDP, d).With(err.Error())
			}
			switch {
			case p.indirect:
				return finding.New(finding.RevIndirect, d)
			case p.onlyReasons:
				return finding.New(finding.RevSomeReasons, d)
			case p.onlyAttr:
				return finding.New(finding.RevAttrOnly, d)
			case p.onlyCA && !cert.IsCA:
				return finding.New(finding.RevCAOnly, d)
			case p.onlyUser && cert.IsCA:
				return finding.New(finding.RevUserOnly, d)
			}
			if len(p.uris) > 0 && len(cert.CRLDistributionPoints) > 0 && !overlap(p.uris, cert.CRLDistributionPoints) {
				return finding.New(finding.RevPartition, d)
			}
		case e.Id.Equal(oidCRLNumber), e.Id.Equal(oidAKI), e.Id.Equal(oidExpiredCertsOnCR):
		default:
			if e.Critical {
				return finding.New(finding.RevCriticalExt, d, e.Id)
			}
		}
	}
	return finding.Finding{}
}

func overlap(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}

func keepsExpired(rl *x509.RevocationList) bool {
	for _, e := range rl.Extensions {
		if e.Id.Equal(oidExpiredCertsOnCR) {
			return true
		}
	}
	return false
}

// Check tells whether cert, issued by issuer, was revoked at time at. The
// CRL's signature is verified with issuer's key, so a CRL from another
// generation of a root sharing the same name is not taken. c may be nil:
// the answer is then not_checked.
func (c *CRLs) Check(cert, issuer *x509.Certificate, at time.Time) Revocation {
	if c == nil || len(c.list) == 0 {
		return Revocation{Status: RevNotChecked}
	}
	if at.IsZero() {
		at = time.Now()
	}
	if issuer == nil {
		return Revocation{Status: RevUnknown, Why: finding.List{finding.New(finding.RevIssuerUnknown)}}
	}
	var why finding.List
	var usable []crlFile
	for i, f := range c.list {
		if !sameName(f.crl.RawIssuer, f.crl.Issuer.String(), issuer) {
			continue
		}
		if err := c.signedBy(i, issuer); err != nil {
			why = append(why, finding.New(finding.RevCRLNotSigned, describeCRL(f)))
			continue
		}
		if w := scope(f, cert); w.Code != "" {
			why = append(why, w)
			continue
		}
		usable = append(usable, f)
	}
	if len(usable) == 0 {
		if len(why) == 0 {
			return Revocation{Status: RevUnknown, Why: finding.List{finding.New(finding.RevNoCRL, issuer.Subject.String())}}
		}
		return Revocation{Status: RevUnknown, Why: why}
	}
	// Newest first: the latest word of the issuer decides.
	sort.SliceStable(usable, func(i, j int) bool { return usable[i].crl.ThisUpdate.After(usable[j].crl.ThisUpdate) })

	// A listing at or before `at` in any CRL the issuer signed is final
	// (except a hold that a newer CRL released: only the newest is read for holds).
	for i, f := range usable {
		e := f.entry(cert)
		if e == nil || e.RevocationTime.After(at) {
			continue
		}
		if e.ReasonCode == 6 && i > 0 {
			continue
		}
		t := e.RevocationTime
		return Revocation{Status: RevRevoked, Source: describeCRL(f), RevokedAt: &t, Reason: reasonName(e.ReasonCode)}
	}
	for _, f := range usable {
		rl := f.crl
		fresh := !rl.ThisUpdate.Before(at) || (!rl.NextUpdate.IsZero() && !at.After(rl.NextUpdate))
		if !fresh {
			why = append(why, finding.New(finding.RevCRLOld, describeCRL(f), at.UTC().Format(time.RFC3339)))
			continue
		}
		if rl.ThisUpdate.After(cert.NotAfter) && !keepsExpired(rl) && f.entry(cert) == nil {
			why = append(why, finding.New(finding.RevCRLAfterExpiry, describeCRL(f)))
			continue
		}
		r := Revocation{Status: RevGood, Source: describeCRL(f)}
		if e := f.entry(cert); e != nil {
			t := e.RevocationTime
			r.RevokedAt, r.Reason = &t, reasonName(e.ReasonCode)
		}
		return r
	}
	return Revocation{Status: RevUnknown, Why: why}
}

func (f crlFile) entry(cert *x509.Certificate) *x509.RevocationListEntry {
	if i, ok := f.bySerial[cert.SerialNumber.Text(16)]; ok {
		return &f.crl.RevokedCertificateEntries[i]
	}
	return nil
}

func reasonName(code int) string {
	if n, ok := reasons[code]; ok {
		return n
	}
	return fmt.Sprintf("reason %d", code)
}

// CheckRevocation checks every certificate of the path below the anchor
// against c at time at, leaf first, and sets Status to revoked when one of
// them was (keeping the other findings in Problems). Without a path (no
// chain, bad signature) the leaf's issuer is unproven and the answer is
// unknown.
func (ch *Chain) CheckRevocation(c *CRLs, at time.Time) []Revocation {
	if c == nil {
		return []Revocation{{Status: RevNotChecked}}
	}
	if ch.Status == StatusNoChain || ch.Status == StatusBadSignature || len(ch.Path) < 2 {
		if len(ch.Path) == 1 && ch.Anchor != nil {
			// The certificate is itself the anchor: nothing above it to revoke it.
			return []Revocation{{Status: RevNotChecked, Why: finding.List{finding.New(finding.RevAnchor)}}}
		}
		return []Revocation{{Status: RevUnknown, Why: finding.List{finding.New(finding.RevNoIssuer)}}}
	}
	var out []Revocation
	for i := 0; i+1 < len(ch.Path); i++ {
		r := c.Check(ch.Path[i], ch.Path[i+1], at)
		out = append(out, r)
		if r.Status == RevRevoked {
			ch.Problems = append(ch.Problems, finding.New(finding.Revoked, ch.Path[i].Subject.String(), r.RevokedAt.UTC().Format(time.RFC3339), r.Reason, r.Source))
			ch.Status = StatusRevoked
		}
	}
	return out
}
