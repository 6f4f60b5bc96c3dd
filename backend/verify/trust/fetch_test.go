package trust_test

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/verify/trust"
)

// jlisServer serves the J-LIS root copies as J-LIS publishes them
// (/ca/pdf/NAME.cer), plus a tampered copy, a company CA, a PEM copy, a
// page that is not a certificate, an oversized answer and a 404.
func jlisServer(t *testing.T) *httptest.Server {
	t.Helper()
	files := map[string][]byte{}
	for _, p := range trust.Pins() {
		if p.SHA256 != "" {
			files["/ca/pdf/"+p.Name+".cer"] = jlisFile(t, p.Name)
		}
	}
	tampered := append([]byte(nil), files["/ca/pdf/signca03.cer"]...)
	tampered[len(tampered)-20] ^= 0x80
	files["/evil/signca03.cer"] = tampered
	files["/evil/company.cer"] = newRoot(t, pkix.Name{CommonName: "Company CA"}, date(2020, 1, 1), date(2040, 1, 1)).cert.Raw
	files["/pem/signca02.pem"] = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: files["/ca/pdf/signca02.cer"]})
	files["/page.html"] = []byte("<html>moved</html>")
	files["/huge.cer"] = make([]byte, 5<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Fetch keeps exactly the pinned roots and says why every other URL gave none.
func TestFetch(t *testing.T) {
	srv := jlisServer(t)
	var urls []string
	for _, u := range trust.DefaultURLs() {
		urls = append(urls, srv.URL+strings.TrimPrefix(u, "https://www.jpki.go.jp"))
	}
	as, err := trust.Fetch(context.Background(), srv.Client(), urls)
	if err != nil || len(as) != 5 {
		t.Fatalf("published roots: %d, %v", len(as), err)
	}
	for i, a := range as {
		if a.Source != trust.SourceJLIS || !strings.HasSuffix(urls[i], "/"+a.Name+".cer") {
			t.Errorf("%s: %+v", urls[i], a)
		}
	}

	bad := map[string]string{
		srv.URL + "/evil/signca03.cer":   trust.FetchNotPinned,
		srv.URL + "/evil/company.cer":    trust.FetchNotPinned,
		srv.URL + "/page.html":           trust.FetchNotCertificate,
		srv.URL + "/huge.cer":            trust.FetchTooLarge,
		srv.URL + "/ca/pdf/authca02.cer": trust.FetchHTTPStatus,
		"http://127.0.0.1:1/none.cer":    trust.FetchNetwork,
	}
	urls = []string{srv.URL + "/pem/signca02.pem"}
	for u := range bad {
		urls = append(urls, u)
	}
	as, err = trust.Fetch(context.Background(), srv.Client(), urls)
	if len(as) != 1 || as[0].Name != "signca02" {
		t.Errorf("with bad URLs: %+v", as)
	}
	seen := map[string]bool{}
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *trust.FetchError
		if !errors.As(e, &fe) || bad[fe.URL] != fe.Code {
			t.Errorf("%v: want %s", e, bad[fe.URL])
		}
		seen[fe.URL] = true
	}
	if len(seen) != len(bad) {
		t.Errorf("reported %d of %d bad URLs", len(seen), len(bad))
	}
	// A store takes what Fetch returns.
	s := trust.NewStore()
	if _, err := s.AddJLIS(as[0].Cert.Raw); err != nil {
		t.Error(err)
	}
}

// The default URLs are J-LIS's, one per pinned root.
func TestDefaultURLs(t *testing.T) {
	us := trust.DefaultURLs()
	if len(us) != 5 {
		t.Fatalf("%d URLs", len(us))
	}
	for _, u := range us {
		if !strings.HasPrefix(u, "https://www.jpki.go.jp/ca/pdf/") || !strings.HasSuffix(u, ".cer") || strings.Contains(u, "authca02") {
			t.Errorf("%s", u)
		}
	}
}

// Describe names the J-LIS root and its generation, the kind from the root's
// purpose or the signing policy, and reads no holder from a foreign
// certificate.
func TestDescribe(t *testing.T) {
	s := trust.NewStore()
	sign2, err := s.AddJLIS(jlisFile(t, "signca02"))
	if err != nil {
		t.Fatal(err)
	}
	auth3, err := s.AddJLIS(jlisFile(t, "authca03"))
	if err != nil {
		t.Fatal(err)
	}
	plain := newRoot(t, pkix.Name{CommonName: "Company"}, date(2020, 1, 1), date(2040, 1, 1)).issue(t, leafTmpl("employee", date(2024, 1, 1), date(2027, 1, 1))).cert
	prodT := leafTmpl("JPKI-like", date(2024, 1, 1), date(2029, 1, 1))
	prodOID, _ := x509.OIDFromInts([]uint64{1, 2, 392, 200149, 8, 5, 1, 1, 20})
	prodT.Policies = []x509.OID{prodOID}
	prod := newRoot(t, pkix.Name{CommonName: "Elsewhere"}, date(2020, 1, 1), date(2040, 1, 1)).issue(t, prodT).cert
	for _, tc := range []struct {
		name   string
		cert   *x509.Certificate
		anchor *trust.Anchor
		want   trust.JPKI
	}{
		{"under signca02", plain, &sign2, trust.JPKI{IsJPKI: true, Kind: "signing", RootName: "signca02", Generation: 2}},
		{"under authca03", plain, &auth3, trust.JPKI{IsJPKI: true, Kind: "auth", RootName: "authca03", Generation: 3}},
		{"foreign", plain, nil, trust.JPKI{}},
		{"production signing policy, no chain", prod, nil, trust.JPKI{IsJPKI: true, Kind: "signing"}},
	} {
		if got := trust.Describe(tc.cert, trust.Chain{Anchor: tc.anchor}); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
