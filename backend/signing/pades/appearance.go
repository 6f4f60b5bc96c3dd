package pades

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/shomei-app/shomei/internal/cjkfont"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// ErrNoFont means no font with Japanese glyphs was found on the system.
var ErrNoFont = cjkfont.ErrNoFont

// The stamp is rendered to an image with a CJK font from the system
// (internal/cjkfont), so it looks the same in every viewer and needs no font
// embedding; the signer's name and the date stay in the signature dictionary
// as text.

// renderStamp draws the lines on a white box with a border, at 4 pixels per point.
func renderStamp(s *Stamp) (*image.Gray, error) {
	f, err := cjkfont.Font()
	if err != nil {
		return nil, err
	}
	const scale = 4
	w, h := int(s.W*scale), int(s.H*scale)
	if w < 8 || h < 8 || w > 8000 || h > 8000 {
		return nil, fmt.Errorf("stamp size %.0f×%.0f pt is not usable", s.W, s.H)
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	ink := color.Gray{Y: 0x20}
	border := max(2, h/60)
	for x := 0; x < w; x++ {
		for t := 0; t < border; t++ {
			img.SetGray(x, t, ink)
			img.SetGray(x, h-1-t, ink)
		}
	}
	for y := 0; y < h; y++ {
		for t := 0; t < border; t++ {
			img.SetGray(t, y, ink)
			img.SetGray(w-1-t, y, ink)
		}
	}
	lines := s.Lines
	if len(lines) == 0 {
		return img, nil
	}
	// The largest size at which every line fits.
	pad := float64(border) * 3
	size := (float64(h) - 2*pad) / float64(len(lines)) / 1.3
	var face font.Face
	for ; size > 4; size *= 0.92 {
		face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return nil, err
		}
		fits := true
		for _, l := range lines {
			if float64(font.MeasureString(face, l).Ceil()) > float64(w)-2*pad {
				fits = false
				break
			}
		}
		if fits {
			break
		}
		face.Close()
	}
	d := &font.Drawer{Dst: img, Src: image.NewUniform(ink), Face: face}
	lineH := size * 1.3
	top := (float64(h) - lineH*float64(len(lines))) / 2
	for i, l := range lines {
		d.Dot = fixed.P(int(pad), int(top+lineH*float64(i)+size))
		d.DrawString(l)
	}
	face.Close()
	return img, nil
}

// writeAppearance writes the stamp's image and its form XObject and returns
// the form's object number.
func (u *update) writeAppearance(s *Stamp) (uint32, error) {
	img, err := renderStamp(s)
	if err != nil {
		return 0, err
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	for y := 0; y < img.Rect.Dy(); y++ {
		zw.Write(img.Pix[y*img.Stride : y*img.Stride+img.Rect.Dx()])
	}
	zw.Close()
	imgID, formID := u.alloc(), u.alloc()
	b := &u.buf
	u.begin(imgID, 0)
	fmt.Fprintf(b, "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n",
		img.Rect.Dx(), img.Rect.Dy(), z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream")
	u.end()
	content := fmt.Sprintf("q %s 0 0 %s 0 0 cm /Stamp Do Q", num(s.W), num(s.H))
	u.begin(formID, 0)
	fmt.Fprintf(b, "<< /Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources << /XObject << /Stamp %d 0 R >> >> /Length %d >>\nstream\n%s\nendstream",
		num(s.W), num(s.H), imgID, len(content), content)
	u.end()
	return formID, nil
}
