// Package pdfv finds every signature in a PDF, in every revision, and checks
// each one's integrity and coverage from the PDF rules:
//
//   - signature dictionaries are found in the parsed objects of every
//     revision (every object version the cross-reference sections name, or
//     every object header when viewers would rebuild the table): anything
//     holding a /ByteRange or typed /Sig or /DocTimeStamp, in whatever legal
//     form (a literal /Contents string, an indirect /ByteRange, comments);
//     a signature that cannot be parsed is reported as failed, never
//     skipped;
//   - the ByteRange must start at 0, hold two ranges inside the file, and
//     its gap must be exactly this dictionary's /Contents hex string;
//   - integrity: the CMS over the ranges as given (a detached CAdES/PKCS#7
//     signature, an adbe.pkcs7.sha1 digest, or a document timestamp's
//     message imprint);
//   - coverage: the whole file, or up to a revision.
//
// The file is read through an io.ReaderAt and hashed in streaming fashion.
package pdfv

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/shomei-app/shomei/backend/verify/cmsv"
	"github.com/shomei-app/shomei/backend/verify/finding"
)

// Signature is one signature dictionary and what was found about it.
type Signature struct {
	Object    int     // object number (0 when unknown)
	Offset    int64   // where its dictionary starts in the file (-1: inside an object stream)
	SubFilter string  // adbe.pkcs7.detached, ETSI.CAdES.detached, ETSI.RFC3161, adbe.pkcs7.sha1…
	Timestamp bool    // a document timestamp (/DocTimeStamp or ETSI.RFC3161)
	ByteRange []int64 // as written
	RangeOK   bool    // starts at 0, two ranges inside the file, gap = /Contents exactly
	Whole     bool    // RangeOK and the ranges reach the end of the file
	SignedEnd int64   // where the signed bytes end (revision end)
	Intact    bool    // digest and signature value verify over the ranges
	CMS       *cmsv.Signed
	Signer    cmsv.Result
	Changes   Changes // what later revisions changed (see changes.go)
	// From the signature dictionary, as claimed by the signer (unproven).
	Name, Reason, Location, ContactInfo string
	M                                   *time.Time
	Problems                            finding.List // why it is not intact or not whole

	contents []byte
}

// Find lists the signature dictionaries of the PDF in f (size bytes), in
// revision order (by where their signed range ends, then by position).
func Find(f io.ReaderAt, size int64) ([]*Signature, error) {
	return find(f, size, newAnalyser(f, size))
}

// check validates the ByteRange against the /Contents position and the
// file size, and records where the signed bytes end.
func (s *Signature) check(size, cStart, cEnd int64, contents []byte) {
	s.contents = contents
	br := s.ByteRange
	if len(br) != 4 {
		s.Problems = append(s.Problems, finding.New(finding.ByteRangeShape))
		return
	}
	if !rangesBounded(br, size) {
		// Values past the file (or negative) are refused before any sum:
		// two int64 near the maximum overflow when added.
		s.Problems = append(s.Problems, finding.New(finding.ByteRangeOutside, size))
		return
	}
	s.SignedEnd = br[2] + br[3]
	switch {
	case br[0] != 0:
		s.Problems = append(s.Problems, finding.New(finding.ByteRangeStart))
	case br[1] <= 0 || br[2] < br[1] || br[3] < 0:
		s.Problems = append(s.Problems, finding.New(finding.ByteRangeInverted))
	case br[2]+br[3] > size:
		s.Problems = append(s.Problems, finding.New(finding.ByteRangePastEnd, br[2]+br[3], size))
	case cStart == -2:
		s.Problems = append(s.Problems, finding.New(finding.ContentsNotOwn))
	case cStart < 0:
		s.Problems = append(s.Problems, finding.New(finding.SigInObjStm))
	case br[1] != cStart || br[2] != cEnd:
		s.Problems = append(s.Problems, finding.New(finding.GapNotContents, br[1], br[2], cStart, cEnd))
	default:
		s.RangeOK = true
		s.Whole = br[2]+br[3] == size
	}
}

// inFile reports whether the ranges can be read at all.
func (s *Signature) inFile(size int64) bool {
	br := s.ByteRange
	return len(br) == 4 && rangesBounded(br, size) && br[1] >= br[0] && br[2] >= br[1] && br[0]+br[1] <= size && br[2]+br[3] <= size
}

// rangesBounded reports whether every ByteRange value lies in [0, size]:
// only then can two of them be added without overflowing int64.
func rangesBounded(br []int64, size int64) bool {
	for _, v := range br {
		if v < 0 || v > size {
			return false
		}
	}
	return true
}

// hashRanges hashes the two ranges (SHA-256 from the one pass of Sums,
// when f is one).
func hashRanges(f io.ReaderAt, br []int64, h crypto.Hash) ([]byte, error) {
	if s, ok := f.(*Sums); ok && h == crypto.SHA256 {
		if d, err := s.ranges(br); err != errNoRanges {
			return d, err
		}
	}
	hh := h.New()
	buf := make([]byte, 1<<20)
	for _, r := range [][2]int64{{br[0], br[1]}, {br[2], br[3]}} {
		if _, err := io.CopyBuffer(hh, io.NewSectionReader(f, r[0], r[1]), buf); err != nil {
			return nil, err
		}
	}
	return hh.Sum(nil), nil
}

var oidTSTInfo = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}

// Verify checks the signature's integrity over its ranges in f.
func (s *Signature) Verify(f io.ReaderAt, size int64) {
	if !s.inFile(size) {
		s.Problems = append(s.Problems, finding.New(finding.RangesOutside))
		return
	}
	c, err := cmsv.Parse(s.contents)
	if err != nil {
		s.Problems = append(s.Problems, finding.Of(err, finding.CMSUnreadable))
		return
	}
	s.CMS = c
	ranges := func(h crypto.Hash) ([]byte, error) { return hashRanges(f, s.ByteRange, h) }
	switch {
	case s.Timestamp:
		s.Signer = c.Verify(0, nil) // the token's own signature over its TSTInfo
		ok, err := imprintMatches(c.EContent, ranges)
		if err != nil || !ok {
			s.Problems = append(s.Problems, finding.New(finding.DocTSImprint))
			return
		}
	case s.SubFilter == "adbe.pkcs7.sha1":
		s.Signer = c.Verify(0, nil)
		d, err := ranges(crypto.SHA1)
		if err != nil || !bytes.Equal(d, c.EContent) {
			s.Problems = append(s.Problems, finding.New(finding.SHA1Digest))
			return
		}
	default:
		s.Signer = c.Verify(0, ranges)
	}
	if s.Signer.Err != nil {
		s.Problems = append(s.Problems, finding.Of(s.Signer.Err, finding.CMSUnreadable))
	}
	if !s.Signer.DigestOK {
		s.Problems = append(s.Problems, finding.New(finding.DigestMismatch))
	}
	if !s.Signer.SignatureOK {
		s.Problems = append(s.Problems, finding.New(finding.SignatureInvalid))
	}
	if s.Signer.CertBinding == "mismatch" {
		s.Problems = append(s.Problems, finding.New(finding.CertBinding))
	}
	s.Intact = s.Signer.Intact()
}

// imprintMatches checks a TSTInfo's message imprint against the ranges.
func imprintMatches(tst []byte, ranges func(crypto.Hash) ([]byte, error)) (bool, error) {
	info, err := cmsv.ParseTSTInfo(tst)
	if err != nil {
		return false, err
	}
	d, err := ranges(info.Hash)
	if err != nil {
		return false, err
	}
	return bytes.Equal(d, info.Imprint), nil
}

// Check finds every signature in f, verifies each one's integrity, checks
// that its signed bytes end where a revision ends, and classifies the
// changes made after it.
func Check(f io.ReaderAt, size int64) ([]*Signature, error) {
	a := newAnalyser(f, size)
	sigs, err := find(f, size, a)
	if err != nil {
		return nil, err
	}
	if len(sigs) > maxSignatures {
		// Each signature costs a CMS parse, a chain and a change analysis:
		// a count no signing workflow reaches is refused, not worked
		// through (2,000 copies of one dictionary took minutes).
		return nil, fmt.Errorf("%w: %d signatures (at most %d are checked)", errLimit, len(sigs), maxSignatures)
	}
	// Every signature is verified first: a later one counts as an allowed
	// change only when it verifies.
	a.verified = map[int]bool{}
	for _, s := range sigs {
		s.Verify(f, size)
		if s.RangeOK && !a.d.endsAtEOF(s.SignedEnd) {
			s.RangeOK, s.Whole = false, false
			s.Problems = append(s.Problems, finding.New(finding.NotRevisionEnd))
		}
		if s.Intact && s.RangeOK && s.Object != 0 && s.Offset >= 0 {
			a.verified[s.Object] = true
		}
	}
	// Signatures ending at the same revision share one analysis.
	memo := map[int64]Changes{}
	for _, s := range sigs {
		if !s.inFile(size) {
			s.Changes = Changes{Verdict: ChangesUnknown}
			continue
		}
		c, ok := memo[s.SignedEnd]
		if !ok {
			c = a.changesAfter(s.SignedEnd)
			memo[s.SignedEnd] = c
		}
		s.Changes = c
	}
	return sigs, nil
}

// maxSignatures bounds the signatures of one file that are checked.
const maxSignatures = 200

// Verdict sums up a file for the corpus's "tamper" column: broken when a
// signature is not intact or its ByteRange is not sane, otherwise the worst
// change verdict among the signatures.
func Verdict(sigs []*Signature) string {
	v := ChangesNone
	rank := map[string]int{ChangesNone: 0, ChangesAllowed: 1, ChangesUnknown: 2, ChangesDisallowed: 3}
	for _, s := range sigs {
		if !s.Intact || !s.RangeOK {
			return "broken"
		}
		if rank[s.Changes.Verdict] > rank[v] {
			v = s.Changes.Verdict
		}
	}
	return v
}

// claims reads the signer's own statements from the dictionary body (after
// "obj"): /Name, /Reason, /Location, /ContactInfo and the time /M.
func (s *Signature) claims(body []byte) {
	l := &lexer{b: body}
	v, err := l.object(0)
	d, ok := v.(pdict)
	if err != nil || !ok {
		return
	}
	s.claimsFrom(d)
}

func (s *Signature) claimsFrom(d pdict) {
	text := func(k string) string {
		b, _ := d[k].(pstr)
		return textString(b)
	}
	s.Name, s.Reason, s.Location, s.ContactInfo = text("Name"), text("Reason"), text("Location"), text("ContactInfo")
	if t, ok := ParseDate(text("M")); ok {
		s.M = &t
	}
}

// textString decodes a PDF text string: UTF-16BE with a BOM (or UTF-8 with
// one, PDF 2.0), else PDFDocEncoding, read here as Latin-1.
func textString(b []byte) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return string(b[3:])
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// ParseDate reads a PDF date, D:YYYYMMDDHHmmSSOHH'mm (every part after the
// year optional).
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimPrefix(s, "D:")
	if len(s) < 4 {
		return time.Time{}, false
	}
	num := func(from, n, def int) int {
		if len(s) < from+n {
			return def
		}
		v, err := strconv.Atoi(s[from : from+n])
		if err != nil {
			return def
		}
		return v
	}
	year := num(0, 4, -1)
	if year < 0 {
		return time.Time{}, false
	}
	loc := time.UTC
	if len(s) > 14 {
		switch s[14] {
		case '+', '-':
			tz := strings.ReplaceAll(s[15:], "'", "")
			h, m := 0, 0
			if len(tz) >= 2 {
				h, _ = strconv.Atoi(tz[:2])
			}
			if len(tz) >= 4 {
				m, _ = strconv.Atoi(tz[2:4])
			}
			off := h*3600 + m*60
			if s[14] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	return time.Date(year, time.Month(num(4, 2, 1)), num(6, 2, 1), num(8, 2, 0), num(10, 2, 0), num(12, 2, 0), 0, loc), true
}
