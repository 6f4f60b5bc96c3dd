package application

import (
	"strings"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/safetext"
)

// Shown makes a value safe and short for a screen: control and
// direction-override characters become visible escapes, and more than 80
// characters are cut.
func Shown(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == 80 {
			b.WriteString("…")
			break
		}
		b.WriteString(safetext.Show(string(r)))
		n++
	}
	return b.String()
}

// Lines is the readable summary a person sees before signing: the number
// of files, then each file with its size and the start of its SHA-256, and
// for JSON and XML documents their values by path.
func (a *Application) Lines(lang i18n.Lang) []string {
	out := []string{i18n.T(lang, "app.count", len(a.Files))}
	for _, f := range a.Files {
		out = append(out, i18n.T(lang, "app.file", Shown(f.Name), f.Size, f.SHA256[:16]))
		for _, fl := range f.Preview {
			p := fl.Path
			if p == "" {
				p = "(value)"
			}
			out = append(out, "    "+Shown(p)+": "+Shown(fl.Value))
		}
		switch {
		case f.More:
			out = append(out, "    "+i18n.T(lang, "app.more"))
		case f.Preview == nil && (f.MediaType == "application/json" || f.MediaType == "application/xml") && f.Size > MaxPreview:
			out = append(out, "    "+i18n.T(lang, "app.nopreview"))
		}
	}
	return out
}
