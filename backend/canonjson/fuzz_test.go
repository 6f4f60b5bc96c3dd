package canonjson_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/shomei-app/shomei/backend/canonjson"
)

// For any input that has a canonical form, that form is valid JSON, means
// the same as the input, and is its own canonical form.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{`{"b":[1,2,{"z":null,"a":"\u00e9"}],"a":true}`, `"x\u0001"`, `[]`, `{"😀":1,"ａ":2}`, `-0`, `1e3`, `{"a":{"a":{"a":[[]]}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := canonjson.Canonical(in)
		if err != nil {
			return
		}
		again, err := canonjson.Canonical(c)
		if err != nil || !bytes.Equal(again, c) {
			t.Fatalf("not idempotent: %q → %q → %q (%v)", in, c, again, err)
		}
		var a, b any
		if json.Unmarshal(in, &a) != nil || json.Unmarshal(c, &b) != nil {
			t.Fatalf("unreadable: %q → %q", in, c)
		}
		if !reflect.DeepEqual(a, b) { // numbers as float64: -0 == 0
			t.Fatalf("meaning changed: %q → %q", in, c)
		}
	})
}
