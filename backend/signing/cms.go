package signing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"

	"github.com/shomei-app/shomei/backend/signing/cms"
)

// signOne signs one document of a batch: the profile's rules again, then a
// PDF as PAdES (signPDF, pdf.go), anything else as CMS, detached or
// enveloping, written atomically.
func signOne(ctx context.Context, g Signer, in string, opt Options) Result {
	r := Result{Input: in}
	if err := CheckProfile([]string{in}, opt); err != nil {
		r.Err = err
		return r
	}
	if formatFor(in, opt) == FormatPAdES {
		return signPDF(ctx, g, in, opt)
	}
	r.Format = "cms-detached-" + opt.level()
	if opt.Enveloping {
		r.Format = "cms-enveloping-" + opt.level()
	}
	out := OutputPath(in, opt)
	r.Output = out
	if r.Err = checkOutput(in, out, opt); r.Err != nil {
		return r
	}
	src, err := os.Open(in)
	if err != nil {
		r.Err = &FileError{Code: CodeRead, Path: in, Err: err}
		return r
	}
	defer src.Close()
	digest, n, err := cms.Digest(src)
	if err != nil {
		r.Err = &FileError{Code: CodeRead, Path: in, Err: err}
		return r
	}
	r.Bytes = n
	r.InputSHA256 = hex.EncodeToString(digest)
	now := opt.Now()
	sig, err := cms.SignDigest(cms.Request{Signer: g, Cert: g.Certificate(), SigningTime: &now, Timestamp: opt.timestamper(ctx)}, digest)
	if err != nil {
		if !IsCardError(err) {
			err = &FileError{Code: CodeTimestamp, Path: in, Err: err}
		}
		r.Err = err
		return r
	}
	outHash := sha256.New()
	err = WriteAtomic(out, opt.Overwrite, func(w io.Writer) error {
		w = io.MultiWriter(w, outHash)
		if !opt.Enveloping {
			_, err := w.Write(sig.Detached())
			return err
		}
		if _, err := src.Seek(0, io.SeekStart); err != nil {
			return err
		}
		// The content is read a second time: if it changed meanwhile, the
		// copy is refused (its digest would no longer match).
		check := sha256.New()
		if err := sig.WriteEnveloping(w, io.TeeReader(src, check), n); err != nil {
			return err
		}
		if hex.EncodeToString(check.Sum(nil)) != r.InputSHA256 {
			return errors.New("the file changed while it was being signed")
		}
		return nil
	})
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) {
			err = &FileError{Code: CodeWrite, Path: out, Err: err}
		}
		r.Err = err
		return r
	}
	r.OutputSHA256 = hex.EncodeToString(outHash.Sum(nil))
	return r
}
