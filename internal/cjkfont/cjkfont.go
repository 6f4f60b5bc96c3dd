// Package cjkfont finds a system font that draws Japanese, once per
// process: the visible signature stamp and the virtual card's name and
// address images are drawn with it.
package cjkfont

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// ErrNoFont means no font with Japanese glyphs was found on the system.
var ErrNoFont = errors.New("no Japanese (CJK) font found on this system: install fonts-noto-cjk or name one in SHOMEI_STAMP_FONT")

// fontCandidates are tried in order after SHOMEI_STAMP_FONT and fontconfig.
var fontCandidates = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
	"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
	"/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
	`C:\Windows\Fonts\meiryo.ttc`,
	`C:\Windows\Fonts\msgothic.ttc`,
}

var (
	fontOnce sync.Once
	fontFace *opentype.Font
	fontErr  error
)

// Font finds and parses a font that has glyphs for 署名.
func Font() (*opentype.Font, error) {
	fontOnce.Do(func() {
		var paths []string
		if p := os.Getenv("SHOMEI_STAMP_FONT"); p != "" {
			paths = append(paths, p)
		}
		if out, err := exec.Command("fc-match", "-f", "%{file}", ":lang=ja").Output(); err == nil && len(out) > 0 {
			paths = append(paths, strings.TrimSpace(string(out)))
		}
		paths = append(paths, fontCandidates...)
		for _, p := range paths {
			if f := loadFont(p); f != nil {
				fontFace = f
				return
			}
		}
		fontErr = ErrNoFont
	})
	return fontFace, fontErr
}

// loadFont parses a font file or collection and returns the first face
// that can draw Japanese.
func loadFont(path string) *opentype.Font {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var faces []*opentype.Font
	if c, err := opentype.ParseCollection(data); err == nil {
		for i := 0; i < c.NumFonts(); i++ {
			if f, err := c.Font(i); err == nil {
				faces = append(faces, f)
			}
		}
	} else if f, err := opentype.Parse(data); err == nil {
		faces = append(faces, f)
	}
	for _, f := range faces {
		if hasGlyphs(f, "署名年月日") {
			return f
		}
	}
	return nil
}

func hasGlyphs(f *opentype.Font, s string) bool {
	var buf sfnt.Buffer
	for _, r := range s {
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}
