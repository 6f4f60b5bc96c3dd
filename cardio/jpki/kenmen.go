package jpki

import (
	"fmt"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/apdu"
	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/pin"
)

// This file reads the 券面 applets' data files. What they mean is
// cardio/kenmen's business; here only the bytes are fetched, bounded, inside
// the session that verified the PIN or 照合番号 opening them.

// maxKenmenFile bounds a 券面 file: READ BINARY offsets are 15 bits.
const maxKenmenFile = 0x7FFF

// readChunk reads up to n bytes at off and reports the end of the file: a
// short answer with 62 82, 6B 00 at the very end, or a short answer after a
// 6C xx correction (which apdu.Client answers with the card's Le).
func (s *Session) readChunk(off, n int) ([]byte, bool, error) {
	r, err := s.do(apdu.Command{CLA: 0x00, INS: 0xB0, P1: byte(off >> 8), P2: byte(off), Le: n})
	if err != nil {
		return nil, false, err
	}
	switch {
	case r.SW == apdu.SWWrongP1P2 && off > 0:
		return nil, true, nil
	case r.SW == apdu.SWEndOfFile:
		if len(r.Data) > n {
			return nil, false, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("asked for %d bytes, got %d", n, len(r.Data)))
		}
		return r.Data, true, nil
	}
	if err := r.Check("read binary"); err != nil {
		return nil, false, err
	}
	if len(r.Data) > n {
		return nil, false, cardio.E(cardio.CodeProtocol, "read binary", fmt.Errorf("asked for %d bytes, got %d", n, len(r.Data)))
	}
	return r.Data, len(r.Data) < n, nil
}

// readObject reads the TLV object at the start of EF fid of the current
// applet and stops at its length (files are padded after it).
func (s *Session) readObject(fid uint16) ([]byte, error) {
	op := fmt.Sprintf("read EF %04X", fid)
	if err := s.selectEF(fid); err != nil {
		return nil, cardio.Wrap(op, err)
	}
	head, _, err := s.readChunk(0, 8)
	if err != nil {
		return nil, cardio.Wrap(op, err)
	}
	total, err := kenmen.ObjectLen(head)
	if err != nil || total > maxKenmenFile {
		return nil, cardio.E(cardio.CodeProtocol, op, fmt.Errorf("no 券面 object at the start of the file: %v", err))
	}
	out := append(make([]byte, 0, total), head[:min(len(head), total)]...)
	for len(out) < total {
		chunk, eof, err := s.readChunk(len(out), min(256, total-len(out)))
		if err != nil {
			return nil, cardio.Wrap(op, err)
		}
		out = append(out, chunk...)
		if eof && len(out) < total {
			return nil, cardio.E(cardio.CodeProtocol, op, fmt.Errorf("file ended at %d of %d bytes", len(out), total))
		}
	}
	return out, nil
}

// readWhole reads EF fid to its end, filler included (what the text
// applet's digest of EF 0001 covers).
func (s *Session) readWhole(fid uint16) ([]byte, error) {
	op := fmt.Sprintf("read EF %04X", fid)
	if err := s.selectEF(fid); err != nil {
		return nil, cardio.Wrap(op, err)
	}
	var out []byte
	for {
		chunk, eof, err := s.readChunk(len(out), 256)
		if err != nil {
			return nil, cardio.Wrap(op, err)
		}
		out = append(out, chunk...)
		if eof || len(chunk) == 0 {
			return out, nil
		}
		if len(out) > maxKenmenFile {
			return nil, cardio.E(cardio.CodeProtocol, op, fmt.Errorf("file longer than %d bytes", maxKenmenFile))
		}
	}
}

// ReadText reads the text applet's files. The 4-digit PIN (pin.Text) or
// 照合番号B (pin.TextB) must have been verified in this session; the My
// Number file is read only when asked, and only the PIN opens it
// (照合番号B does not, per soltia48/myna-card).
func (s *Session) ReadText(withMyNumber bool) (*kenmen.Text, error) {
	if !s.verified[pin.Text] && !s.verified[pin.TextB] {
		return nil, cardio.E(cardio.CodeAccessDenied, "read text applet", fmt.Errorf("no PIN of the text applet verified in this session"))
	}
	var t kenmen.Text
	var err error
	if withMyNumber {
		if t.MyNumberFile, err = s.readWhole(EFTextMyNumber); err != nil {
			return nil, err
		}
	}
	if t.BasicFile, err = s.readObject(EFTextBasic); err != nil {
		return nil, err
	}
	if t.Integrity, err = s.readObject(EFTextIntegrity); err != nil {
		return nil, err
	}
	if t.Cert, err = s.readObject(EFTextCert); err != nil {
		return nil, err
	}
	return &t, nil
}

// ReadFace reads the visual applet's card face and its CVC. 照合番号B
// (pin.VisualB) or A must have been verified in this session.
func (s *Session) ReadFace() (face, cert []byte, err error) {
	if !s.verified[pin.VisualB] && !s.verified[pin.VisualA] {
		return nil, nil, cardio.E(cardio.CodeAccessDenied, "read visual applet", fmt.Errorf("no 照合番号 of the visual applet verified in this session"))
	}
	if face, err = s.readObject(EFVisualFace); err != nil {
		return nil, nil, err
	}
	if cert, err = s.readObject(EFVisualCert); err != nil {
		return nil, nil, err
	}
	return face, cert, nil
}
