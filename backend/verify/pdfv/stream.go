package pdfv

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// raw returns a stream's undecoded data; length may be a reference,
// resolved in st.
func (d *doc) raw(s *pstream, st *state) ([]byte, error) {
	var n int64
	switch l := s.dict["Length"].(type) {
	case int64:
		n = l
	case pref:
		if st != nil {
			if v, err := st.get(l.num); err == nil {
				n, _ = v.(int64)
			}
		}
	}
	if n <= 0 || s.start+n > d.size {
		// Find endstream instead.
		b := d.read(s.start, maxStreamBytes)
		e := bytes.Index(b, []byte("endstream"))
		if e < 0 {
			return nil, errors.New("stream without an end")
		}
		return bytes.TrimRight(b[:e], "\r\n"), nil
	}
	if n > maxStreamBytes {
		return nil, errLimit
	}
	return d.read(s.start, int(n)), nil
}

// decode returns a stream's data with FlateDecode (and PNG predictors)
// undone, within the limits.
func (d *doc) decode(s *pstream, st *state) ([]byte, error) {
	raw, err := d.raw(s, st)
	if err != nil {
		return nil, err
	}
	filters := []any{s.dict["Filter"]}
	if a, ok := s.dict["Filter"].(parray); ok {
		filters = a
	}
	parms := []any{s.dict["DecodeParms"]}
	if a, ok := s.dict["DecodeParms"].(parray); ok {
		parms = a
	}
	data := raw
	for i, f := range filters {
		switch f {
		case nil:
			continue
		case pname("FlateDecode"):
			out, err := d.inflate(data)
			if err != nil {
				return nil, err
			}
			var p pdict
			if i < len(parms) {
				p, _ = parms[i].(pdict)
			}
			data, err = unpredict(out, p)
			if err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("stream filter %v is not supported here", f)
		}
	}
	return data, nil
}

func (d *doc) inflate(b []byte) ([]byte, error) {
	var r io.Reader
	if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
		r = zr
	} else {
		r = flate.NewReader(bytes.NewReader(b))
	}
	left := min(int64(maxStreamBytes), maxDecoded-d.decoded)
	out, err := io.ReadAll(io.LimitReader(r, left+1))
	if int64(len(out)) > left {
		return nil, fmt.Errorf("%w: a compressed stream expands beyond %d MB", errLimit, left>>20)
	}
	d.decoded += int64(len(out))
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("compressed stream: %v", err)
	}
	return out, nil // a truncated stream keeps what inflated
}

// unpredict undoes PNG predictors (Predictor >= 10) row by row.
func unpredict(b []byte, p pdict) ([]byte, error) {
	pred, _ := p["Predictor"].(int64)
	if pred < 10 {
		if pred == 2 {
			return nil, errors.New("TIFF predictor is not supported here")
		}
		return b, nil
	}
	cols := int64(1)
	if c, ok := p["Columns"].(int64); ok && c > 0 && c < 1<<20 {
		cols = c
	}
	row := int(cols)
	out := make([]byte, 0, len(b))
	prev := make([]byte, row)
	for len(b) >= row+1 {
		ft, cur := b[0], append([]byte(nil), b[1:row+1]...)
		b = b[row+1:]
		for i := range cur {
			var left, upleft byte
			if i > 0 {
				left, upleft = cur[i-1], prev[i-1]
			}
			up := prev[i]
			switch ft {
			case 1:
				cur[i] += left
			case 2:
				cur[i] += up
			case 3:
				cur[i] += byte((int(left) + int(up)) / 2)
			case 4:
				cur[i] += paeth(left, up, upleft)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	if pa <= pb && pa <= pc {
		return a
	}
	if pb <= pc {
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
