package trust_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// generations are three roots with one subject name and overlapping
// validity, as J-LIS's are.
func generations(t testing.TB) []*ca {
	return []*ca{
		newRoot(t, jlisLikeDN, date(2015, 10, 20), date(2025, 10, 19)),
		newRoot(t, jlisLikeDN, date(2019, 9, 14), date(2029, 9, 14)),
		newRoot(t, jlisLikeDN, date(2023, 7, 16), date(2033, 7, 15)),
	}
}

// With three roots sharing one subject name, each leaf chains to the root
// that really signed it, whatever the order of the anchors.
func TestGenerationsToldApartBySignature(t *testing.T) {
	gens := generations(t)
	leaves := []*ca{
		gens[0].issue(t, leafTmpl("gen1 holder", date(2020, 1, 1), date(2025, 1, 1))),
		gens[1].issue(t, leafTmpl("gen2 holder", date(2024, 1, 1), date(2029, 1, 1))),
		gens[2].issue(t, leafTmpl("gen3 holder", date(2025, 1, 1), date(2030, 1, 1))),
	}
	for _, order := range [][]*ca{{gens[0], gens[1], gens[2]}, {gens[2], gens[1], gens[0]}, {gens[1], gens[2], gens[0]}} {
		s := storeWith(t, order...)
		for i, l := range leaves {
			at := l.cert.NotBefore.AddDate(0, 6, 0)
			ch := s.Chain(l.cert, nil, at, trust.Signing)
			if ch.Status != trust.StatusOK || ch.Anchor == nil || ch.Anchor.SHA256 != trust.Fingerprint(gens[i].cert.Raw) {
				t.Fatalf("leaf of generation %d: %+v", i+1, ch)
			}
			if len(ch.Path) != 2 || ch.Path[1] != ch.Anchor.Cert {
				t.Errorf("leaf of generation %d: path %d long", i+1, len(ch.Path))
			}
		}
	}
	// Without its own generation, a leaf finds roots by name but none by
	// signature: a bad signature, never a chain to a sibling.
	s := storeWith(t, gens[0], gens[2])
	ch := s.Chain(leaves[1].cert, nil, date(2025, 1, 1), trust.Signing)
	if ch.Status != trust.StatusBadSignature || ch.Anchor == nil || len(ch.Problems) == 0 {
		t.Errorf("leaf of a missing generation: %+v", ch)
	}
}

// An expired anchor still serves a signature made inside its validity, and
// not one made after.
func TestExpiredAnchorAtSigningTime(t *testing.T) {
	gen1 := newRoot(t, jlisLikeDN, date(2015, 10, 20), date(2025, 10, 19))
	leaf := gen1.issue(t, leafTmpl("holder", date(2020, 1, 1), date(2024, 12, 31)))
	s := storeWith(t, gen1)
	if ch := s.Chain(leaf.cert, nil, date(2022, 6, 1), trust.Signing); ch.Status != trust.StatusOK {
		t.Errorf("inside validity: %+v", ch)
	}
	ch := s.Chain(leaf.cert, nil, date(2026, 1, 1), trust.Signing)
	if ch.Status != trust.StatusExpired || ch.Anchor == nil || len(ch.Problems) != 2 {
		t.Errorf("after both expired: %+v", ch)
	}
	// The leaf valid, only the root past its end: still expired.
	long := gen1.issue(t, leafTmpl("holder", date(2024, 1, 1), date(2028, 1, 1)))
	if ch := s.Chain(long.cert, nil, date(2026, 1, 1), trust.Signing); ch.Status != trust.StatusExpired || !strings.Contains(ch.Problems[0].String(), "CA certificate") {
		t.Errorf("root expired, leaf not: %+v", ch)
	}
	if ch := s.Chain(leaf.cert, nil, date(2019, 1, 1), trust.Signing); ch.Status != trust.StatusNotYetValid {
		t.Errorf("before validity: %+v", ch)
	}
}

// KeyUsage decides fitness for signing; an EKU is neither required nor
// enforced, but one without a signing purpose is mentioned.
func TestSigningKeyUsage(t *testing.T) {
	root := newRoot(t, jlisLikeDN, date(2020, 1, 1), date(2040, 1, 1))
	s := storeWith(t, root)
	at := date(2025, 1, 1)
	mk := func(ku x509.KeyUsage, ext ...pkix.Extension) *x509.Certificate {
		tm := leafTmpl("k", date(2024, 1, 1), date(2029, 1, 1))
		tm.KeyUsage, tm.ExtraExtensions = ku, ext
		return root.issue(t, tm).cert
	}
	for _, tc := range []struct {
		name     string
		cert     *x509.Certificate
		status   string
		warnings int
	}{
		{"JPKI-like", mk(x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment), trust.StatusOK, 0},
		{"nonRepudiation only", mk(x509.KeyUsageContentCommitment), trust.StatusOK, 0},
		{"no KeyUsage extension", mk(0), trust.StatusOK, 0},
		{"keyCertSign only", mk(x509.KeyUsageCertSign), trust.StatusBadKeyUsage, 0},
		{"keyEncipherment only", mk(x509.KeyUsageKeyEncipherment), trust.StatusBadKeyUsage, 0},
		{"EKU serverAuth only", mk(x509.KeyUsageDigitalSignature, ekuExt(false, oidServerAuth)), trust.StatusOK, 1},
		{"EKU documentSigning", mk(x509.KeyUsageDigitalSignature, ekuExt(false, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36})), trust.StatusOK, 0},
	} {
		ch := s.Chain(tc.cert, nil, at, trust.Signing)
		if ch.Status != tc.status || len(ch.Warnings) != tc.warnings {
			t.Errorf("%s: status %s warnings %q, want %s and %d", tc.name, ch.Status, ch.Warnings, tc.status, tc.warnings)
		}
		if ch.Status == trust.StatusBadKeyUsage && (ch.Anchor == nil || !strings.Contains(ch.Problems[0].String(), "KeyUsage")) {
			t.Errorf("%s: %+v", tc.name, ch)
		}
	}
}

// A TSA certificate needs the timeStamping EKU; RFC 3161's criticality and
// exclusivity are warnings.
func TestTimestampingPurpose(t *testing.T) {
	root := newRoot(t, pkix.Name{CommonName: "TSA root"}, date(2020, 1, 1), date(2040, 1, 1))
	s := storeWith(t, root)
	at := date(2025, 1, 1)
	mk := func(ext ...pkix.Extension) *x509.Certificate {
		tm := leafTmpl("tsa", date(2024, 1, 1), date(2029, 1, 1))
		tm.KeyUsage, tm.ExtraExtensions = x509.KeyUsageDigitalSignature, ext
		return root.issue(t, tm).cert
	}
	for _, tc := range []struct {
		name     string
		cert     *x509.Certificate
		status   string
		warnings int
	}{
		{"critical timeStamping", mk(ekuExt(true, oidTimeStamping)), trust.StatusOK, 0},
		{"non-critical timeStamping", mk(ekuExt(false, oidTimeStamping)), trust.StatusOK, 1},
		{"timeStamping and serverAuth", mk(ekuExt(true, oidTimeStamping, oidServerAuth)), trust.StatusOK, 1},
		{"no EKU", mk(), trust.StatusBadKeyUsage, 0},
		{"serverAuth only", mk(ekuExt(true, oidServerAuth)), trust.StatusBadKeyUsage, 0},
	} {
		ch := s.Chain(tc.cert, nil, at, trust.Timestamping)
		if ch.Status != tc.status || len(ch.Warnings) != tc.warnings {
			t.Errorf("%s: status %s warnings %q problems %q, want %s and %d", tc.name, ch.Status, ch.Warnings, ch.Problems, tc.status, tc.warnings)
		}
	}
}

// Intermediates come from the certificates a CMS carries; a non-CA or a
// path longer than a pathLenConstraint gives no chain.
func TestIntermediates(t *testing.T) {
	root := newRoot(t, pkix.Name{CommonName: "Company Root"}, date(2020, 1, 1), date(2040, 1, 1))
	mid := root.issue(t, intermediateTmpl("Company Issuing CA", date(2020, 1, 1), date(2035, 1, 1)))
	leaf := mid.issue(t, leafTmpl("employee", date(2024, 1, 1), date(2027, 1, 1)))
	s := storeWith(t, root)
	at := date(2025, 1, 1)
	if ch := s.Chain(leaf.cert, nil, at, trust.Signing); ch.Status != trust.StatusNoChain || len(ch.Path) != 1 {
		t.Errorf("without the intermediate: %+v", ch)
	}
	// The CMS also carries the root itself, and an unrelated certificate.
	other := newRoot(t, pkix.Name{CommonName: "Other"}, date(2020, 1, 1), date(2040, 1, 1))
	ch := s.Chain(leaf.cert, []*x509.Certificate{other.cert, root.cert, mid.cert, leaf.cert}, at, trust.Signing)
	if ch.Status != trust.StatusOK || len(ch.Path) != 3 || ch.Path[1] != mid.cert || ch.Path[2].Subject.CommonName != "Company Root" {
		t.Errorf("with the intermediate: %+v", ch)
	}

	// An intermediate that is not a CA cannot issue.
	notCATmpl := intermediateTmpl("Not a CA", date(2020, 1, 1), date(2035, 1, 1))
	notCATmpl.IsCA = false
	notCATmpl.KeyUsage = x509.KeyUsageDigitalSignature
	notCA := root.issue(t, notCATmpl)
	underNotCA := notCA.issue(t, leafTmpl("x", date(2024, 1, 1), date(2027, 1, 1)))
	ch = s.Chain(underNotCA.cert, []*x509.Certificate{notCA.cert}, at, trust.Signing)
	if ch.Status != trust.StatusNoChain || !strings.Contains(ch.Problems.String(), "not a CA") {
		t.Errorf("under a non-CA: %+v", ch)
	}

	// pathLenConstraint 0 on the root: no intermediate below it.
	rootZero := newRootPathLen0(t)
	midZ := rootZero.issue(t, intermediateTmpl("mid", date(2020, 1, 1), date(2035, 1, 1)))
	leafZ := midZ.issue(t, leafTmpl("y", date(2024, 1, 1), date(2027, 1, 1)))
	s2 := storeWith(t, rootZero)
	if ch := s2.Chain(leafZ.cert, []*x509.Certificate{midZ.cert}, at, trust.Signing); ch.Status != trust.StatusNoChain {
		t.Errorf("pathLen 0 violated: %+v", ch)
	}
	direct := rootZero.issue(t, leafTmpl("z", date(2024, 1, 1), date(2027, 1, 1)))
	if ch := s2.Chain(direct.cert, nil, at, trust.Signing); ch.Status != trust.StatusOK {
		t.Errorf("pathLen 0 direct leaf: %+v", ch)
	}
}

func newRootPathLen0(t *testing.T) *ca {
	t.Helper()
	k := newKey(t)
	tmpl := intermediateTmpl("Root pathlen 0", date(2020, 1, 1), date(2040, 1, 1))
	tmpl.SerialNumber = bigSerial()
	tmpl.MaxPathLen, tmpl.MaxPathLenZero = 0, true
	der, err := x509.CreateCertificate(randReader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &ca{c, k}
}

// A certificate that is itself an anchor is its own chain.
func TestLeafIsAnchor(t *testing.T) {
	self := newRoot(t, pkix.Name{CommonName: "Self"}, date(2020, 1, 1), date(2040, 1, 1))
	s := storeWith(t, self)
	ch := s.Chain(self.cert, nil, date(2025, 1, 1), trust.Signing)
	// A CA certificate with keyCertSign only is not fit for signing documents.
	if ch.Anchor == nil || len(ch.Path) != 1 || ch.Status != trust.StatusBadKeyUsage {
		t.Errorf("%+v", ch)
	}
}

// A certificate that names a J-LIS root as issuer but was signed by another
// key finds the real roots by name and is refused by signature.
func TestForgedJLISIssuer(t *testing.T) {
	s := trust.NewStore()
	var real *x509.Certificate
	for _, n := range []string{"signca01", "signca02", "signca03"} {
		a, err := s.AddJLIS(jlisFile(t, n))
		if err != nil {
			t.Fatal(err)
		}
		real = a.Cert
	}
	fake := newRoot(t, real.Subject, date(2020, 1, 1), date(2040, 1, 1))
	// Make the fake's subject the very same bytes as the J-LIS name.
	leafT := leafTmpl("forged", date(2024, 1, 1), date(2029, 1, 1))
	fakeParent := *fake.cert
	fakeParent.RawSubject = real.RawSubject
	k := newKey(t)
	leafT.SerialNumber = bigSerial()
	der, err := x509.CreateCertificate(randReader, leafT, &fakeParent, k.Public(), fake.key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	ch := s.Chain(leaf, []*x509.Certificate{fake.cert}, date(2025, 1, 1), trust.Signing)
	if ch.Status != trust.StatusBadSignature || ch.Anchor == nil || ch.Anchor.Source != trust.SourceJLIS {
		t.Errorf("%+v", ch)
	}
}

// The virtual card's signing certificate chains to its test root added as a
// user anchor, marked TEST, and reads as a JPKI test signing certificate.
func TestVirtualCardChainsToTestRoot(t *testing.T) {
	g, card := vcardtest.Signer(t)
	s := trust.NewStore()
	a, err := s.AddUser(card.State().Root().Raw, "virtual card")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Test || a.Source != trust.SourceUser || a.Name != "virtual card" {
		t.Errorf("anchor %+v", a)
	}
	ch := s.Chain(g.Certificate(), nil, time.Now(), trust.Signing)
	if ch.Status != trust.StatusOK || ch.Anchor == nil || !ch.Anchor.Test {
		t.Fatalf("%+v", ch)
	}
	j := trust.Describe(g.Certificate(), ch)
	if !j.IsJPKI || j.Kind != "signing" || !j.Test || j.Holder != "署名 花子" || j.RootName != "" {
		t.Errorf("describe: %+v", j)
	}
	// Without the anchor, no chain.
	if ch := trust.NewStore().Chain(g.Certificate(), nil, time.Now(), trust.Signing); ch.Status != trust.StatusNoChain {
		t.Errorf("empty store: %+v", ch)
	}
}

// Dozens of CA certificates sharing one name (a hostile CMS) do not make
// path building explode; the real intermediate among them is still found.
func TestSameNameCrowd(t *testing.T) {
	root := newRoot(t, pkix.Name{CommonName: "Root"}, date(2020, 1, 1), date(2040, 1, 1))
	crowdName := pkix.Name{CommonName: "Crowd"}
	var crowd []*x509.Certificate
	for i := 0; i < 40; i++ {
		// Each is self-named "Crowd" and issued by a "Crowd" of its own key.
		c := newRoot(t, crowdName, date(2020, 1, 1), date(2040, 1, 1))
		crowd = append(crowd, c.cert)
	}
	leaf := newRoot(t, crowdName, date(2020, 1, 1), date(2040, 1, 1)).issue(t, leafTmpl("victim", date(2024, 1, 1), date(2027, 1, 1)))
	s := storeWith(t, root)
	start := time.Now()
	ch := s.Chain(leaf.cert, crowd, date(2025, 1, 1), trust.Signing)
	if ch.Status != trust.StatusNoChain {
		t.Errorf("%s", ch.Status)
	}
	t.Logf("crowd of %d: %s, %v", len(crowd), ch.Status, time.Since(start))

	// The real intermediate hidden at the end of the crowd.
	mid := root.issue(t, intermediateTmpl("Crowd", date(2020, 1, 1), date(2035, 1, 1)))
	real := mid.issue(t, leafTmpl("employee", date(2024, 1, 1), date(2027, 1, 1)))
	ch = s.Chain(real.cert, append(crowd, mid.cert), date(2025, 1, 1), trust.Signing)
	if ch.Status != trust.StatusOK || len(ch.Path) != 3 {
		t.Errorf("real path in the crowd: %+v", ch.Status)
	}
}
