// Package tsatest runs a local RFC 3161 time-stamping authority for tests:
// its own root and a TSA certificate with the critical timeStamping EKU,
// served by httptest on loopback. No network.
package tsatest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
)

// TSA is a running test authority.
type TSA struct {
	URL      string
	Root     *x509.Certificate
	Requests atomic.Int64
	srv      *httptest.Server
}

// RootPEM is the TSA's root certificate.
func (t *TSA) RootPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: t.Root.Raw})
}

// Start starts a TSA that stops with the test.
func Start(tb testing.TB) *TSA {
	tb.Helper()
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	tk, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := time.Now()
	rt := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Shomei Test TSA Root - NOT FOR PRODUCTION"}, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	rd, err := x509.CreateCertificate(rand.Reader, rt, rt, &rk.PublicKey, rk)
	if err != nil {
		tb.Fatal(err)
	}
	root, _ := x509.ParseCertificate(rd)
	eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	tt := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Shomei Test TSA"}, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}}}
	td, err := x509.CreateCertificate(rand.Reader, tt, root, &tk.PublicKey, rk)
	if err != nil {
		tb.Fatal(err)
	}
	tsaCert, _ := x509.ParseCertificate(td)
	t := &TSA{Root: root}
	var serial atomic.Int64
	t.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Requests.Add(1)
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		req, err := timestamp.ParseRequest(body)
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		ts := &timestamp.Timestamp{
			HashAlgorithm:     req.HashAlgorithm,
			HashedMessage:     req.HashedMessage,
			Time:              time.Now().UTC().Truncate(time.Second),
			Nonce:             req.Nonce,
			Policy:            asn1.ObjectIdentifier{1, 2, 3, 4, 1},
			SerialNumber:      big.NewInt(serial.Add(1)),
			AddTSACertificate: req.Certificates,
			Certificates:      []*x509.Certificate{root},
		}
		out, err := ts.CreateResponseWithOpts(tsaCert, tk, crypto.SHA256)
		if err != nil {
			tb.Logf("test TSA: %v", err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(out)
	}))
	t.URL = t.srv.URL
	tb.Cleanup(t.srv.Close)
	return t
}
