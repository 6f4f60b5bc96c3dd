// Command mkface draws the virtual card's synthetic face photo, a plainly
// artificial grey drawing (no real person), as PNG on standard output. The
// committed JPEG 2000 file is made from it with Debian's OpenJPEG encoder:
//
//	go run ./tools/mkface > /tmp/face.png
//	opj_compress -i /tmp/face.png -o cardio/vcard/testdata/face.jp2 -r 40
package main

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

func main() {
	const w, h = 240, 320
	img := image.NewGray(image.Rect(0, 0, w, h))
	in := func(x, y, cx, cy, rx, ry float64) bool {
		dx, dy := (x-cx)/rx, (y-cy)/ry
		return dx*dx+dy*dy <= 1
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			v := 200 + int(30*math.Sin(fy/40)) // background shade
			switch {
			case in(fx, fy, 120, 300, 110, 70): // shoulders
				v = 70
			case in(fx, fy, 120, 80, 72, 55) && fy < 95: // hair
				v = 40
			case in(fx, fy, 120, 140, 68, 90): // face
				v = 170
				if in(fx, fy, 95, 125, 11, 7) || in(fx, fy, 145, 125, 11, 7) { // eyes
					v = 30
				}
				if in(fx, fy, 120, 190, 24, 7) && fy > 188 { // mouth
					v = 90
				}
				if in(fx, fy, 120, 160, 6, 14) { // nose
					v = 140
				}
			}
			img.SetGray(x, y, color.Gray{Y: uint8(max(0, min(255, v)))})
		}
	}
	if err := png.Encode(os.Stdout, img); err != nil {
		panic(err)
	}
}
