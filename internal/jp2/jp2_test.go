package jp2_test

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/internal/jp2"
)

func face(t *testing.T) []byte {
	b, err := os.ReadFile(filepath.Join("..", "..", "cardio", "vcard", "testdata", "face.jp2"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jp2c returns the offset of the codestream in the virtual card's face.
func jp2c(t *testing.T, b []byte) int {
	for i := 0; i+4 <= len(b); i++ {
		if b[i] == 0xFF && b[i+1] == 0x4F && b[i+2] == 0xFF && b[i+3] == 0x51 {
			return i
		}
	}
	t.Fatal("no codestream")
	return 0
}

// The virtual card's face (made by opj_compress from a 240×320 grey
// drawing) reads as that, as a JP2 file and as its bare codestream.
func TestHeader(t *testing.T) {
	b := face(t)
	for name, in := range map[string][]byte{"jp2": b, "j2k": b[jp2c(t, b):]} {
		got, err := jp2.Header(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != (jp2.Info{Width: 240, Height: 320, Components: 1}) {
			t.Errorf("%s: %+v", name, got)
		}
	}
}

// Hostile headers are refused before any decoder sees them: every length
// checked, sizes bounded.
func TestHeaderRefuses(t *testing.T) {
	b := face(t)
	cs := jp2c(t, b)
	set32 := func(off int, v uint32) []byte {
		c := append([]byte(nil), b...)
		binary.BigEndian.PutUint32(c[off:], v)
		return c
	}
	cases := map[string][]byte{
		"empty":                       nil,
		"signature only":              b[:12],
		"cut in a box":                b[:30],
		"cut in SIZ":                  b[:cs+20],
		"box longer than file":        set32(12, 1<<30),
		"box shorter than its header": set32(12, 4),
		"huge width":                  set32(cs+8, 1<<31),
		"width past the bound":        set32(cs+8, jp2.MaxSide+1),
		"offset past the size":        set32(cs+16, 1000),
		"random":                      []byte("\x00\x00\x00\x0cjP  \r\n\x87\nxxxxxxxxxxxxxxxxxxxxxxxxxx"),
		"no SIZ":                      append([]byte{0xFF, 0x4F, 0xFF, 0x52}, make([]byte, 60)...),
	}
	comps := append([]byte(nil), b...)
	binary.BigEndian.PutUint16(comps[cs+40:], 200)
	cases["component count against SIZ length"] = comps
	for name, in := range cases {
		if _, err := jp2.Header(in); !errors.Is(err, jp2.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzHeader(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("..", "..", "cardio", "vcard", "testdata", "face.jp2"))
	f.Add(b)
	f.Fuzz(func(t *testing.T, in []byte) {
		i, err := jp2.Header(in)
		if err == nil && (i.Width < 1 || i.Height < 1 || i.Width > jp2.MaxSide || i.Height > jp2.MaxSide || i.Components < 1 || i.Components > 4) {
			t.Fatalf("accepted %+v", i)
		}
	})
}
