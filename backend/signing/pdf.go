package signing

import (
	"context"
	"encoding/hex"
	"errors"
	"os"
	"time"

	"github.com/shomei-app/shomei/backend/jpkicert"
	"github.com/shomei-app/shomei/backend/signing/cms"
	"github.com/shomei-app/shomei/backend/signing/pades"
)

// tsSpace is the room kept in a PDF's /Contents for the timestamp token, so
// the card signs each document once whatever the TSA answers (real tokens
// are 2–8 KB; a larger one is refused, never re-signed).
const tsSpace = 16 << 10

// signPDF adds a PAdES signature to a PDF.
func signPDF(ctx context.Context, g Signer, in string, opt Options) Result {
	r := Result{Input: in, Format: "pades-" + opt.level()}
	sub := pades.SubFilterPAdES
	if opt.Profile == ProfileTouki {
		r.Format, sub = "pdf-pkcs7-touki", pades.SubFilterPKCS7
	}
	out := OutputPath(in, opt)
	r.Output = out
	if r.Err = checkOutput(in, out, opt); r.Err != nil {
		return r
	}
	d, err := pades.Open(in)
	if err != nil {
		code := pdfCode(err)
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			code = CodeRead
		}
		r.Err = &FileError{Code: code, Path: in, Err: err}
		return r
	}
	defer d.Close()
	cert := g.Certificate()
	if st, ok := opt.Stamps[in]; ok {
		opt.Visible = st
	}
	if opt.Visible != nil && len(opt.Visible.Lines) == 0 {
		st := *opt.Visible
		st.Lines = StampLines(jpkicert.HolderName(cert), opt.Now(), opt.Reason)
		opt.Visible = &st
	}
	popt := pades.Options{
		Name:      jpkicert.HolderName(cert),
		Reason:    opt.Reason,
		Location:  opt.Location,
		Time:      opt.Now(),
		Certify:   opt.Certify,
		Visible:   opt.Visible,
		SubFilter: sub,
	}
	if opt.TSA != nil {
		popt.TimestampSpace = tsSpace
	}
	var cardErr error
	var dg pades.Digests
	err = writeAtomicFile(out, opt.Overwrite, func(f *os.File) error {
		dg, err = d.SignFile(f, popt, len(cert.Raw), func(digest []byte) ([]byte, error) {
			sig, err := cms.SignDigest(pades.CMSRequest(cms.Request{Signer: g, Cert: cert, Timestamp: opt.timestamper(ctx)}), digest)
			if err != nil {
				if IsCardError(err) {
					cardErr = err
				}
				return nil, err
			}
			return sig.Detached(), nil
		})
		return err
	})
	switch {
	case cardErr != nil:
		r.Err = cardErr
	case err != nil:
		var fe *FileError
		if !errors.As(err, &fe) {
			err = &FileError{Code: pdfCode(err), Path: out, Err: err}
		}
		r.Err = err
	default:
		r.InputSHA256 = hex.EncodeToString(dg.Input)
		r.OutputSHA256 = hex.EncodeToString(dg.Output)
		r.Bytes = d.Size()
	}
	return r
}

// StampLines is what a visible stamp says: who signed and when, in
// Japanese, and the reason when there is one.
func StampLines(name string, t time.Time, reason string) []string {
	lines := []string{"電子署名: " + name, "署名日時: " + t.Format("2006年1月2日 15:04 MST")}
	if reason != "" {
		lines = append(lines, "理由: "+reason)
	}
	return lines
}
