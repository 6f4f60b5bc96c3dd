package jp2_test

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/internal/jp2"
)

// The virtual card's face decodes to the size and pixels OpenJPEG's own
// command-line decoder gives.
func TestDecodeMatchesOpjDecompress(t *testing.T) {
	src := filepath.Join("..", "..", "cardio", "vcard", "testdata", "face.jp2")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jp2.PNG(b)
	if errors.Is(err, jp2.ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 240 || img.Bounds().Dy() != 320 {
		t.Fatalf("size %v", img.Bounds())
	}
	if _, err := exec.LookPath("opj_decompress"); err != nil {
		t.Skip("opj_decompress not installed")
	}
	ref := filepath.Join(t.TempDir(), "ref.png")
	if o, err := exec.Command("opj_decompress", "-i", src, "-o", ref).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, o)
	}
	rf, _ := os.Open(ref)
	defer rf.Close()
	want, err := png.Decode(rf)
	if err != nil {
		t.Fatal(err)
	}
	diff := 0
	for y := 0; y < 320; y++ {
		for x := 0; x < 240; x++ {
			a, _, _, _ := img.At(x, y).RGBA()
			c, _, _, _ := want.At(x, y).RGBA()
			if a>>8 != c>>8 {
				diff++
			}
		}
	}
	if diff != 0 {
		t.Errorf("%d pixels differ from opj_decompress", diff)
	}
}

func TestRefusesGarbage(t *testing.T) {
	good, _ := os.ReadFile(filepath.Join("..", "..", "cardio", "vcard", "testdata", "face.jp2"))
	for _, b := range [][]byte{nil, []byte("not an image at all"), good[:40], append(append([]byte(nil), good[:200]...), bytes.Repeat([]byte{0xFF}, 300)...)} {
		if _, err := jp2.Decode(b); err == nil {
			t.Errorf("%d bytes of garbage decoded", len(b))
		}
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := os.ReadFile(filepath.Join("..", "..", "cardio", "vcard", "testdata", "face.jp2"))
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) { jp2.Decode(b) })
}
