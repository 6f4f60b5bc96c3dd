// Package frontend embeds the built UI (Vite + Svelte, built into dist/app
// by `npm run build`) for the desktop window and `shomei serve`. The dist
// folder is always there (dist/README.md and dist/placeholder are in git),
// so a clean clone compiles; without a build it serves the placeholder.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Built reports whether the binary carries the built UI.
func Built() bool {
	_, err := fs.Stat(dist, "dist/app/index.html")
	return err == nil
}

// Assets is the UI with index.html at its root: the build, or the
// placeholder page.
func Assets() fs.FS {
	dir := "dist/placeholder"
	if Built() {
		dir = "dist/app"
	}
	sub, err := fs.Sub(dist, dir)
	if err != nil {
		panic(err) // both folders are compiled in
	}
	return sub
}
