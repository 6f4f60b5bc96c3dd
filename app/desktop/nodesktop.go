//go:build !(desktop || dev || bindings)

package desktop

import "errors"

// Available reports whether this binary carries the desktop window: not
// one built without Wails' tags (plain go build, go test).
const Available = false

// Run refuses: this binary was built without the desktop window.
func Run(Options) error {
	return errors.New("this shomei was built without the desktop window (build it with wails build, or use shomei serve)")
}
