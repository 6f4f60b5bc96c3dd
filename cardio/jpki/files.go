// Reading the applets' elementary files: binary reads within the
// 15-bit offset range, whole files, and DER objects whose length the
// file's own header gives (certificates).

package jpki

import (
	"errors"
	"fmt"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
)

// readBinary reads n bytes at off from the current EF.
func (s *Session) readBinary(off, n int) ([]byte, error) {
	if off < 0 || off > 0x7FFF {
		return nil, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("offset %d outside the 15-bit range", off))
	}
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0xB0, P1: byte(off >> 8), P2: byte(off), Le: n})
	if err != nil {
		return nil, err
	}
	if r.SW != apdu.SWEndOfFile {
		if err := r.Check("read binary"); err != nil {
			return nil, err
		}
	}
	// More than asked is nonsense; less is allowed only with 62 82 (end of
	// file): a short answer with 90 00 is a lost or garbled answer.
	if len(r.Data) > n || (r.SW.OK() && len(r.Data) != n) {
		return nil, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("asked for %d bytes, got %d with %s", n, len(r.Data), r.SW))
	}
	return r.Data, nil
}

// readFile reads exactly n bytes from the start of EF fid.
func (s *Session) readFile(fid uint16, n int) ([]byte, error) {
	if err := s.selectEF(fid); err != nil {
		return nil, err
	}
	out := make([]byte, 0, n)
	for len(out) < n {
		chunk, err := s.readBinary(len(out), min(256, n-len(out)))
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			return nil, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("file %04X ended at %d of %d bytes", fid, len(out), n))
		}
		out = append(out, chunk...)
	}
	return out, nil
}

// maxCert bounds a certificate's DER length: JPKI certificates are under 2 KB.
const maxCert = 0x7FFF

// readDER reads the DER object at the start of EF fid and stops at its
// length: the files are padded after the certificate. It returns
// errNoObject when the file holds no DER SEQUENCE (an empty slot).
func (s *Session) readDER(fid uint16) ([]byte, error) {
	if err := s.selectEF(fid); err != nil {
		return nil, err
	}
	head, err := s.readBinary(0, 256)
	if err != nil {
		return nil, err
	}
	total, err := derLength(head)
	if err != nil {
		return nil, cardio.E(cardio.CodeProtocol, fmt.Sprintf("read EF %04X", fid), err)
	}
	if total > maxCert {
		return nil, cardio.E(cardio.CodeProtocol, fmt.Sprintf("read EF %04X", fid), fmt.Errorf("DER length %d too large", total))
	}
	out := make([]byte, 0, total)
	out = append(out, head[:min(len(head), total)]...)
	for len(out) < total {
		chunk, err := s.readBinary(len(out), min(256, total-len(out)))
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			return nil, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("EF %04X ended inside its DER object", fid))
		}
		out = append(out, chunk...)
	}
	return out[:total], nil
}

var errNoObject = errors.New("no DER object in file")

// derLength returns the total length (header included) of the DER SEQUENCE
// at the start of b.
func derLength(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, errors.New("file shorter than a DER header")
	}
	if b[0] != 0x30 {
		return 0, errNoObject
	}
	l := int(b[1])
	if l < 0x80 {
		return 2 + l, nil
	}
	n := l & 0x7F
	if n == 0 || n > 3 || len(b) < 2+n {
		return 0, fmt.Errorf("bad DER length form %02X", b[1])
	}
	l = 0
	for _, c := range b[2 : 2+n] {
		l = l<<8 | int(c)
	}
	return 2 + n + l, nil
}
