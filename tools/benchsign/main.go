// Command benchsign measures PDF signing on large files, without a card: it
// makes a PDF of the asked size (one page, one big stream) unless it exists,
// then signs it with a software RSA-2048 key through the same code path as
// the card (pades + cms) and prints the time. Run it under /usr/bin/time to
// read the peak resident memory (scripts/bench.sh does).
//
//	benchsign -make FILE -size 1G     # create the test PDF
//	benchsign -sign FILE -out OUT     # sign it
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/pdfsign"

	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
)

func main() {
	mk := flag.String("make", "", "create a test PDF at this path")
	size := flag.String("size", "1M", "size of the test PDF (K, M, G suffixes)")
	sign := flag.String("sign", "", "PDF to sign")
	out := flag.String("out", "", "signed output")
	withPdfsign := flag.Bool("pdfsign", false, "sign with github.com/digitorus/pdfsign instead, for comparison")
	flag.Parse()
	switch {
	case *mk != "":
		n, err := parseSize(*size)
		check(err)
		check(makePDF(*mk, n))
	case *sign != "" && *out != "":
		key, err := rsa.GenerateKey(rand.Reader, 2048)
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
		d, err := pades.Open(*sign)
		check(err)
		f, err := os.Create(*out)
		check(err)
		w := bufio.NewWriterSize(f, 1<<20)
		err = d.Sign(w, pades.Options{Name: "bench", Time: time.Now()}, len(der), func(digest []byte) ([]byte, error) {
			s, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: key, Cert: cert}), digest)
			if err != nil {
				return nil, err
			}
			return s.Detached(), nil
		})
		check(err)
		check(w.Flush())
		check(f.Sync())
		check(f.Close())
		fmt.Printf("signed %s (%d bytes) in %.3f s\n", *sign, d.Size(), time.Since(start).Seconds())
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

// makePDF writes a valid one-page PDF whose page carries an unused stream
// of about n bytes, written in chunks.
func makePDF(path string, n int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var off int64
	var offs []int64
	put := func(s string) { w.WriteString(s); off += int64(len(s)) }
	obj := func(body string) {
		offs = append(offs, off)
		put(fmt.Sprintf("%d 0 obj\n%s\nendobj\n", len(offs), body))
	}
	put("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Big 5 0 R >> >> >>")
	content := "0 g 72 720 m 300 720 l S"
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	// The big stream: an image XObject never drawn, of pseudo-random bytes.
	body := n - off - 400
	if body < 1 {
		body = 1
	}
	offs = append(offs, off)
	put(fmt.Sprintf("5 0 obj\n<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n", body))
	chunk := make([]byte, 1<<20)
	rand.Read(chunk)
	for left := body; left > 0; {
		k := min(left, int64(len(chunk)))
		w.Write(chunk[:k])
		off += k
		left -= k
	}
	put("\nendstream\nendobj\n")
	xref := off
	put(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f\r\n", len(offs)+1))
	for _, o := range offs {
		put(fmt.Sprintf("%010d 00000 n\r\n", o))
	}
	put(fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref))
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsign:", err)
		os.Exit(1)
	}
}
