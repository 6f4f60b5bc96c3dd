package trust_test

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/verify/trust"
)

type revoked struct {
	serial *big.Int
	at     time.Time
	reason int
}

// writeCRL makes a CRL signed by signer's key in the name of issuer and
// writes it (DER, or PEM when the name ends in .pem).
func writeCRL(t *testing.T, dir, name string, issuer, signer *ca, this, next time.Time, entries []revoked, ext ...pkix.Extension) string {
	t.Helper()
	tmpl := &x509.RevocationList{Number: bigSerial(), ThisUpdate: this, NextUpdate: next, ExtraExtensions: ext}
	for _, e := range entries {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: e.serial, RevocationTime: e.at, ReasonCode: e.reason})
	}
	parent := *issuer.cert // the issuer's name and key id, signer's key
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, &parent, signer.key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	out := der
	if strings.HasSuffix(name, ".pem") {
		out = pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func idpExt(t *testing.T, uri string, onlyCA bool) pkix.Extension {
	t.Helper()
	var fields []byte
	if uri != "" {
		gn, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 6, Bytes: []byte(uri)})
		full, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: gn})
		dp, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: full})
		fields = append(fields, dp...)
	}
	if onlyCA {
		b, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte{0xFF}})
		fields = append(fields, b...)
	}
	v, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: fields})
	if err != nil {
		t.Fatal(err)
	}
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 28}, Critical: true, Value: v}
}

func loadCRLs(t *testing.T, paths ...string) *trust.CRLs {
	t.Helper()
	c, err := trust.LoadCRLs(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// What a CRL says, at the time checked: revoked before, revoked after, not
// listed; and when it cannot say: another key, another issuer, too old,
// issued after the certificate expired, out of scope.
func TestCRLCheck(t *testing.T) {
	dir := t.TempDir()
	gens := generations(t) // one name, three keys
	root, sibling := gens[1], gens[2]
	leafT := leafTmpl("holder", date(2024, 1, 1), date(2028, 12, 31))
	leafT.CRLDistributionPoints = []string{"http://crl.example/part1.crl"}
	leaf := root.issue(t, leafT)
	other := root.issue(t, leafTmpl("someone else", date(2024, 1, 1), date(2028, 12, 31)))
	at := date(2025, 6, 1)
	revokedBefore := []revoked{{leaf.cert.SerialNumber, date(2025, 3, 1), 1}}
	revokedAfter := []revoked{{leaf.cert.SerialNumber, date(2025, 8, 1), 4}}
	otherOnly := []revoked{{other.cert.SerialNumber, date(2025, 3, 1), 0}}
	unrelated := newRoot(t, pkix.Name{CommonName: "Unrelated CA"}, date(2020, 1, 1), date(2040, 1, 1))

	for _, tc := range []struct {
		name   string
		crl    func() string
		status string
		detail string // in Source
	}{
		{"not listed, issued after the time", func() string {
			return writeCRL(t, dir, "good.crl", root, root, date(2025, 7, 1), date(2025, 8, 1), otherOnly)
		}, trust.RevGood, "good.crl"},
		{"not listed, current at the time (PEM)", func() string {
			return writeCRL(t, dir, "current.pem", root, root, date(2025, 5, 20), date(2025, 6, 20), nil)
		}, trust.RevGood, "current.pem"},
		{"revoked before the time", func() string {
			return writeCRL(t, dir, "rev.crl", root, root, date(2025, 7, 1), date(2025, 8, 1), revokedBefore)
		}, trust.RevRevoked, "rev.crl"},
		{"revoked before, in an old CRL", func() string {
			return writeCRL(t, dir, "rev-old.crl", root, root, date(2025, 3, 2), date(2025, 4, 1), revokedBefore)
		}, trust.RevRevoked, "rev-old.crl"},
		{"revoked after the time", func() string {
			return writeCRL(t, dir, "later.crl", root, root, date(2025, 9, 1), date(2025, 10, 1), revokedAfter)
		}, trust.RevGood, "later.crl"},
		{"signed by a sibling generation's key", func() string {
			return writeCRL(t, dir, "forged.crl", root, sibling, date(2025, 7, 1), date(2025, 8, 1), nil)
		}, trust.RevUnknown, "not signed by the issuer"},
		{"from another issuer", func() string {
			return writeCRL(t, dir, "unrelated.crl", unrelated, unrelated, date(2025, 7, 1), date(2025, 8, 1), nil)
		}, trust.RevUnknown, "No CRL from"},
		{"stale", func() string {
			return writeCRL(t, dir, "stale.crl", root, root, date(2025, 1, 1), date(2025, 2, 1), nil)
		}, trust.RevUnknown, "older than the time checked"},
		{"issued after the certificate expired", func() string {
			return writeCRL(t, dir, "late.crl", root, root, date(2029, 6, 1), date(2029, 7, 1), nil)
		}, trust.RevUnknown, "after the certificate expired"},
		{"delta CRL", func() string {
			d, _ := asn1.Marshal(big.NewInt(1))
			return writeCRL(t, dir, "delta.crl", root, root, date(2025, 7, 1), date(2025, 8, 1), nil, pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 27}, Critical: true, Value: d})
		}, trust.RevUnknown, "delta CRL"},
		{"CA certificates only", func() string {
			return writeCRL(t, dir, "ca-only.crl", root, root, date(2025, 7, 1), date(2025, 8, 1), nil, idpExt(t, "", true))
		}, trust.RevUnknown, "CA certificates only"},
		{"another partition", func() string {
			return writeCRL(t, dir, "part2.crl", root, root, date(2025, 7, 1), date(2025, 8, 1), nil, idpExt(t, "http://crl.example/part2.crl", false))
		}, trust.RevUnknown, "partition"},
		{"its own partition", func() string {
			return writeCRL(t, dir, "part1.crl", root, root, date(2025, 7, 1), date(2025, 8, 1), nil, idpExt(t, "http://crl.example/part1.crl", false))
		}, trust.RevGood, "part1.crl"},
	} {
		r := loadCRLs(t, tc.crl()).Check(leaf.cert, root.cert, at)
		if r.Status != tc.status || !strings.Contains(r.Source+r.Why.String(), tc.detail) {
			t.Errorf("%s: %+v, want %s with %q", tc.name, r, tc.status, tc.detail)
		}
		switch tc.name {
		case "revoked before the time":
			if r.RevokedAt == nil || !r.RevokedAt.Equal(date(2025, 3, 1)) || r.Reason != "keyCompromise" {
				t.Errorf("%s: %+v", tc.name, r)
			}
		case "revoked after the time":
			if r.RevokedAt == nil || !r.RevokedAt.Equal(date(2025, 8, 1)) || r.Reason != "superseded" {
				t.Errorf("%s: %+v", tc.name, r)
			}
		}
	}

	var none *trust.CRLs
	if r := none.Check(leaf.cert, root.cert, at); r.Status != trust.RevNotChecked {
		t.Errorf("no CRLs: %+v", r)
	}
	good := loadCRLs(t, filepath.Join(dir, "good.crl"))
	if r := good.Check(leaf.cert, nil, at); r.Status != trust.RevUnknown {
		t.Errorf("unknown issuer: %+v", r)
	}
	// The forged CRL beside the real one: the real one decides.
	both := loadCRLs(t, filepath.Join(dir, "forged.crl"), filepath.Join(dir, "rev.crl"))
	if r := both.Check(leaf.cert, root.cert, at); r.Status != trust.RevRevoked {
		t.Errorf("forged and real: %+v", r)
	}
}

// A hold listed by an older CRL and gone from the newer one is released.
func TestCRLHoldReleased(t *testing.T) {
	dir := t.TempDir()
	root := newRoot(t, pkix.Name{CommonName: "Root"}, date(2020, 1, 1), date(2040, 1, 1))
	leaf := root.issue(t, leafTmpl("holder", date(2024, 1, 1), date(2028, 12, 31)))
	hold := []revoked{{leaf.cert.SerialNumber, date(2025, 3, 1), 6}}
	old := writeCRL(t, dir, "hold.crl", root, root, date(2025, 3, 2), date(2025, 4, 1), hold)
	at := date(2025, 3, 15)
	if r := loadCRLs(t, old).Check(leaf.cert, root.cert, at); r.Status != trust.RevRevoked || r.Reason != "certificateHold" {
		t.Errorf("on hold: %+v", r)
	}
	released := writeCRL(t, dir, "released.crl", root, root, date(2025, 4, 1), date(2025, 5, 1), nil)
	if r := loadCRLs(t, old, released).Check(leaf.cert, root.cert, at); r.Status != trust.RevGood || !strings.Contains(r.Source, "released.crl") {
		t.Errorf("released: %+v", r)
	}
}

// LoadCRLs reads several PEM blocks from one file and refuses what is not a CRL.
func TestLoadCRLs(t *testing.T) {
	dir := t.TempDir()
	root := newRoot(t, pkix.Name{CommonName: "Root"}, date(2020, 1, 1), date(2040, 1, 1))
	a, _ := os.ReadFile(writeCRL(t, dir, "a.pem", root, root, date(2025, 1, 1), date(2025, 2, 1), nil))
	b, _ := os.ReadFile(writeCRL(t, dir, "b.pem", root, root, date(2025, 2, 1), date(2025, 3, 1), nil))
	bundle := filepath.Join(dir, "bundle.pem")
	os.WriteFile(bundle, append(a, b...), 0o644)
	leaf := root.issue(t, leafTmpl("h", date(2024, 1, 1), date(2028, 1, 1)))
	// The newer of the two answers for mid-February.
	if r := loadCRLs(t, bundle).Check(leaf.cert, root.cert, date(2025, 2, 15)); r.Status != trust.RevGood {
		t.Errorf("bundle: %+v", r)
	}
	junk := filepath.Join(dir, "junk.crl")
	os.WriteFile(junk, []byte("not a crl"), 0o644)
	for _, p := range []string{junk, filepath.Join(dir, "missing.crl")} {
		if _, err := trust.LoadCRLs(p); err == nil {
			t.Errorf("%s: loaded", p)
		}
	}
	cert := filepath.Join(dir, "cert.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.cert.Raw}), 0o644)
	if _, err := trust.LoadCRLs(cert); err == nil {
		t.Error("a certificate was loaded as a CRL")
	}
}

// CheckRevocation turns a valid chain into a revoked one, and checks an
// intermediate too.
func TestChainCheckRevocation(t *testing.T) {
	dir := t.TempDir()
	root := newRoot(t, pkix.Name{CommonName: "Company Root"}, date(2020, 1, 1), date(2040, 1, 1))
	mid := root.issue(t, intermediateTmpl("Issuing CA", date(2020, 1, 1), date(2035, 1, 1)))
	leaf := mid.issue(t, leafTmpl("employee", date(2024, 1, 1), date(2027, 1, 1)))
	s := storeWith(t, root)
	at := date(2025, 1, 1)
	rootCRL := writeCRL(t, dir, "root.crl", root, root, date(2025, 2, 1), date(2025, 3, 1), []revoked{{mid.cert.SerialNumber, date(2024, 12, 1), 2}})
	midCRL := writeCRL(t, dir, "mid.crl", mid, mid, date(2025, 2, 1), date(2025, 3, 1), nil)

	ch := s.Chain(leaf.cert, []*x509.Certificate{mid.cert}, at, trust.Signing)
	rs := ch.CheckRevocation(loadCRLs(t, midCRL), at)
	if ch.Status != trust.StatusOK || len(rs) != 2 || rs[0].Status != trust.RevGood || rs[1].Status != trust.RevUnknown {
		t.Errorf("leaf CRL only: %s %+v", ch.Status, rs)
	}
	rs = ch.CheckRevocation(loadCRLs(t, midCRL, rootCRL), at)
	if ch.Status != trust.StatusRevoked || rs[1].Status != trust.RevRevoked || rs[1].Reason != "cACompromise" || !strings.Contains(ch.Problems.String(), "Issuing CA") {
		t.Errorf("intermediate revoked: %s %+v %q", ch.Status, rs, ch.Problems)
	}
	if rs := ch.CheckRevocation(nil, at); len(rs) != 1 || rs[0].Status != trust.RevNotChecked {
		t.Errorf("no CRLs: %+v", rs)
	}
	none := s.Chain(leaf.cert, nil, at, trust.Signing)
	if rs := none.CheckRevocation(loadCRLs(t, midCRL), at); rs[0].Status != trust.RevUnknown || none.Status != trust.StatusNoChain {
		t.Errorf("no chain: %+v", rs)
	}
}
