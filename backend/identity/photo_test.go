package identity_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/shomei-app/shomei/backend/identity"
	"github.com/shomei-app/shomei/internal/jp2"
)

// opj decodes a JPEG 2000 file with OpenJPEG's own command-line decoder
// (Debian's libopenjp2-tools), the independent reference.
func opj(t *testing.T, src string) image.Image {
	t.Helper()
	if _, err := exec.LookPath("opj_decompress"); err != nil {
		t.Skip("opj_decompress not installed (scripts/setup.sh installs libopenjp2-tools)")
	}
	ref := filepath.Join(t.TempDir(), "ref.png")
	if o, err := exec.Command("opj_decompress", "-i", src, "-o", ref).CombinedOutput(); err != nil {
		t.Fatalf("opj_decompress: %v %s", err, o)
	}
	return decodePNG(t, mustRead(t, ref))
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// same counts the pixels whose 8-bit RGB differ.
func same(t *testing.T, got, want image.Image) {
	t.Helper()
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("size %v, OpenJPEG %v", got.Bounds().Size(), want.Bounds().Size())
	}
	w, h := want.Bounds().Dx(), want.Bounds().Dy()
	diff := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := color.RGBAModel.Convert(got.At(got.Bounds().Min.X+x, got.Bounds().Min.Y+y)).(color.RGBA)
			c := color.RGBAModel.Convert(want.At(want.Bounds().Min.X+x, want.Bounds().Min.Y+y)).(color.RGBA)
			if a.R != c.R || a.G != c.G || a.B != c.B || a.A != 255 {
				diff++
			}
		}
	}
	if diff != 0 {
		t.Errorf("%d of %d pixels differ from opj_decompress", diff, w*h)
	}
}

// The virtual card's face decodes to the pixels OpenJPEG's own decoder
// gives, exactly.
func TestPhotoMatchesOpjDecompress(t *testing.T) {
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	src := filepath.Join("..", "..", "cardio", "vcard", "testdata", "face.jp2")
	out, err := identity.PhotoPNG(context.Background(), mustRead(t, src))
	if err != nil {
		t.Fatal(err)
	}
	got := decodePNG(t, out)
	if got.Bounds().Dx() != 240 || got.Bounds().Dy() != 320 {
		t.Fatalf("size %v", got.Bounds())
	}
	same(t, got, opj(t, src))
}

// A colour photo (three components, as a real card's may be), made with
// OpenJPEG's encoder, decodes to the reference decoder's colours.
func TestPhotoColour(t *testing.T) {
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	if _, err := exec.LookPath("opj_compress"); err != nil {
		t.Skip("opj_compress not installed")
	}
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 96, 128))
	for y := 0; y < 128; y++ {
		for x := 0; x < 96; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 2), uint8(255 - x - y), 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	os.WriteFile(filepath.Join(dir, "in.png"), b.Bytes(), 0o600)
	src := filepath.Join(dir, "c.jp2")
	if o, err := exec.Command("opj_compress", "-i", filepath.Join(dir, "in.png"), "-o", src, "-r", "20").CombinedOutput(); err != nil {
		t.Fatalf("opj_compress: %v %s", err, o)
	}
	out, err := identity.PhotoPNG(context.Background(), mustRead(t, src))
	if err != nil {
		t.Fatal(err)
	}
	same(t, decodePNG(t, out), opj(t, src))
}

// Broken and hostile pictures give an error, in bounded time, never a
// picture: a cut file, a header that lies about the size, garbage after
// a valid header.
func TestPhotoRefuses(t *testing.T) {
	t.Setenv("SHOMEI_DATA_DIR", t.TempDir())
	b := mustRead(t, filepath.Join("..", "..", "cardio", "vcard", "testdata", "face.jp2"))
	garbage := append([]byte(nil), b[:200]...)
	garbage = append(garbage, bytes.Repeat([]byte{0xA5}, len(b)-200)...)
	for name, in := range map[string][]byte{
		"cut":     b[:len(b)/3],
		"garbage": garbage,
		"empty":   nil,
	} {
		if out, err := identity.PhotoPNG(context.Background(), in); err == nil {
			img := decodePNG(t, out)
			// OpenJPEG draws what it could of a damaged stream; what must
			// not happen is a picture of another size or a crash.
			if img.Bounds().Dx() != 240 || img.Bounds().Dy() != 320 {
				t.Errorf("%s: a %v picture", name, img.Bounds())
			}
			t.Logf("%s: drawn partly (OpenJPEG's choice for a damaged stream)", name)
		} else if name == "empty" && !errors.Is(err, jp2.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
