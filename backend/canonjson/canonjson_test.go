package canonjson_test

import (
	"strings"
	"testing"

	"github.com/shomei-app/shomei/backend/canonjson"
)

// The same data written differently (member order, spacing, escapes,
// number spelling) gives the same canonical bytes, and those bytes are
// exactly the expected ones.
func TestCanonical(t *testing.T) {
	want := `{"a":[1,true,null,"x"],"b":{"c":"d\n\"\\\u001f","é":"日本"},"n":-5,"z":0}`
	for _, in := range []string{
		`{"z":0,"n":-5,"b":{"é":"日本","c":"d\n\"\\\u001F"},"a":[1,true,null,"x"]}`,
		"{ \"a\" : [ 1.0 , true , null , \"\\u0078\" ] ,\n \"b\":{\"c\":\"d\\n\\\"\\\\\\u001f\",\"\\u00e9\":\"\\u65e5\\u672c\"},\"n\":-5e0,\"z\":-0}",
	} {
		got, err := canonjson.Canonical([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("canonical of %s\n got %s\nwant %s", in, got, want)
		}
	}
}

// Members sort by UTF-16 code units: a character outside the BMP (a
// surrogate pair, D8xx) sorts before U+E000–U+FFFF, unlike a sort by code
// points or UTF-8 bytes.
func TestUTF16Order(t *testing.T) {
	got, err := canonjson.Canonical([]byte(`{"\uff41":1,"😀":2,"a":3}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":3,"😀":2,"ａ":1}`; string(got) != want {
		t.Errorf("got %s want %s", got, want)
	}
}

// Input that has no single canonical form is refused: duplicate members,
// fractions, huge numbers, invalid UTF-8, trailing data.
func TestRefused(t *testing.T) {
	for _, in := range []string{
		`{"a":1,"a":2}`,
		`{"a":1.5}`,
		`{"a":9007199254740993}`,
		"{\"a\":\"\xff\"}",
		`{"a":1} {}`,
		`{"a":`,
	} {
		if _, err := canonjson.Canonical([]byte(in)); err == nil {
			t.Errorf("accepted %q", in)
		}
	}
}

// Marshal of a Go value gives the canonical form (no HTML escaping, which
// encoding/json would add).
func TestMarshal(t *testing.T) {
	got, err := canonjson.Marshal(struct {
		B string `json:"b"`
		A []int  `json:"a"`
	}{"<&>", []int{3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":[3,1],"b":"<&>"}`; string(got) != want {
		t.Errorf("got %s", got)
	}
	if strings.Contains(string(got), `\u003c`) {
		t.Error("HTML escaping survived")
	}
}
