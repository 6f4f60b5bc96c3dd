package web

import (
	"reflect"
	"sort"
	"testing"

	"github.com/shomei-app/shomei/app/uiservice"
)

// Every method the desktop app binds is callable from a browser too,
// except the few that only a desktop shell can do (native dialogs, the
// file manager, reading a local file for the preview).
func TestEveryMethodCallable(t *testing.T) {
	desktopOnly := map[string]bool{"PickFiles": true, "Reveal": true, "Preview": true}
	table := calls(&uiservice.Service{})
	typ := reflect.TypeOf(&uiservice.Service{})
	var missing []string
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if _, ok := table[name]; !ok && !desktopOnly[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("methods a browser cannot call: %v", missing)
	}
	for name := range table {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("call %q names no method", name)
		}
	}
}
