package trust

import (
	"embed"
	"sync"
)

// The J-LIS roots shipped in the binary, so a real My Number signature
// verifies on a fresh install with nothing imported: J-LIS publishes them
// (jpki.go.jp/ca/), and each file is taken only when its SHA-256 matches a
// pin (pins.go). authca02 has no confirmed fingerprint and is not shipped:
// it, and later generations, still come by `shomei trust fetch`, `import`
// or `from-card`.
//
//go:embed jlis/*.cer
var jlisFiles embed.FS

var builtin = sync.OnceValue(func() []Anchor {
	var out []Anchor
	for _, p := range pins {
		der, err := jlisFiles.ReadFile("jlis/" + p.Name + ".cer")
		if err != nil {
			continue
		}
		a, err := jlisAnchor(der) // the pin decides; a changed file is never an anchor
		if err != nil {
			continue
		}
		a.Builtin = true
		out = append(out, a)
	}
	return out
})

// Builtin returns the J-LIS roots shipped in the binary (each one matched
// its pin), in pin order.
func Builtin() []Anchor { return append([]Anchor(nil), builtin()...) }

// withBuiltin adds the shipped roots a list of anchors lacks.
func withBuiltin(as []Anchor) []Anchor {
	out := append([]Anchor(nil), as...)
	for _, b := range builtin() {
		found := false
		for _, a := range out {
			if a.SHA256 == b.SHA256 {
				found = true
				break
			}
		}
		if !found {
			out = append(out, b)
		}
	}
	sortAnchors(out)
	return out
}
