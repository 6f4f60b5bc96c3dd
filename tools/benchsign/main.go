// Command benchsign measures PDF signing on large files, without a card: it
// makes a PDF of the asked size (one page, one big stream) unless it exists,
// then signs it with a software RSA-2048 key through the same code path as
// shomei sign (signing.Files: pades + cms, atomic output) and prints the
// time. Run it under /usr/bin/time to
// read the peak resident memory (scripts/bench.sh does).
//
//	benchsign -make FILE -size 1G     # create the test PDF
//	benchsign -sign FILE -out OUT [-key KEYFILE]  # sign it
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/pdfsign"

	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/backend/signing/pdftest"
)

// softKey is a software key with its certificate, in the card's place.
type softKey struct {
	*rsa.PrivateKey
	cert *x509.Certificate
}

func (k softKey) Certificate() *x509.Certificate { return k.cert }

func main() {
	mk := flag.String("make", "", "create a test PDF at this path")
	size := flag.String("size", "1M", "size of the test PDF (K, M, G suffixes)")
	sign := flag.String("sign", "", "PDF to sign")
	out := flag.String("out", "", "signed output")
	keyFile := flag.String("key", "", "RSA key file (PKCS#8 DER), made on first use, so that runs do not time a key generation")
	withPdfsign := flag.Bool("pdfsign", false, "sign with github.com/digitorus/pdfsign instead, for comparison")
	flag.Parse()
	switch {
	case *mk != "":
		n, err := parseSize(*size)
		check(err)
		check(pdftest.WriteBig(*mk, n))
	case *sign != "" && *out != "":
		key, err := loadKey(*keyFile)
		check(err)
		tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bench"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
		check(err)
		cert, _ := x509.ParseCertificate(der)
		start := time.Now()
		if *withPdfsign {
			doc, err := pdfsign.OpenFile(*sign)
			check(err)
			f, err := os.Create(*out)
			check(err)
			doc.Sign(key, cert).Reason("bench")
			_, err = doc.Write(f)
			check(err)
			check(f.Close())
			fmt.Printf("pdfsign signed %s in %.3f s\n", *sign, time.Since(start).Seconds())
			return
		}
		// The same path as shomei sign: signing.Files writes the output
		// atomically (kernel copy hashed in one pass, one fsync).
		res := signing.Files(context.Background(), softKey{key, cert}, []string{*sign}, signing.Options{Format: signing.FormatPAdES, Overwrite: true, OutDir: filepath.Dir(*out)}, nil)
		check(res[0].Err)
		check(os.Rename(res[0].Output, *out))
		fmt.Printf("signed %s (%d bytes) in %.3f s\n", *sign, res[0].Bytes, time.Since(start).Seconds())
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err
}

// loadKey reads the RSA-2048 key at path, or makes it (and keeps it there
// when path is set).
func loadKey(path string) (*rsa.PrivateKey, error) {
	if path != "" {
		if der, err := os.ReadFile(path); err == nil {
			k, err := x509.ParsePKCS8PrivateKey(der)
			if err != nil {
				return nil, err
			}
			if rk, ok := k.(*rsa.PrivateKey); ok {
				return rk, nil
			}
			return nil, fmt.Errorf("%s: not an RSA key", path)
		}
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil || path == "" {
		return key, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return key, os.WriteFile(path, der, 0o600)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsign:", err)
		os.Exit(1)
	}
}
