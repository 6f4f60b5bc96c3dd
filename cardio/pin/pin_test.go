package pin_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/pin"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		id   pin.ID
		in   string
		want string // "" = format error
	}{
		{pin.Sign, "TEST1234", "TEST1234"},
		{pin.Sign, "test1234", "TEST1234"},
		{pin.Sign, "ｔｅｓｔ１２３４", "TEST1234"},
		{pin.Sign, "  ABC123\n", "ABC123"},
		{pin.Sign, "ABC12", ""},
		{pin.Sign, "ABCDEFGHIJ1234567", ""},
		{pin.Sign, "ABCDEFGHIJ123456", "ABCDEFGHIJ123456"},
		{pin.Sign, "TEST-1234", ""},
		{pin.Sign, "TEST 1234", ""},
		{pin.Sign, "署名1234", ""},
		{pin.Auth, "1234", "1234"},
		{pin.Auth, "１２３４", "1234"},
		{pin.Auth, "123", ""},
		{pin.Auth, "12345", ""},
		{pin.Auth, "12a4", ""},
		{pin.Text, "0000", "0000"},
		{pin.Juki, "９８７６", "9876"},
	} {
		s, err := pin.Parse(tc.id, []byte(tc.in))
		if tc.want == "" {
			if cardio.CodeOf(err) != cardio.CodePINFormat {
				t.Errorf("%s %q: err %v, want pin_format", tc.id, tc.in, err)
			}
			if err != nil && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
				t.Errorf("%s %q: error echoes the input: %v", tc.id, tc.in, err)
			}
			continue
		}
		if err != nil || string(s.Bytes()) != tc.want {
			t.Errorf("%s %q: %v %v, want %q", tc.id, tc.in, s, err, tc.want)
		}
	}
}

// Parse wipes the caller's input; a Secret never prints; Wipe zeroes.
func TestSecretHygiene(t *testing.T) {
	in := []byte("ZYXW9876")
	s, err := pin.Parse(pin.Sign, in)
	if err != nil {
		t.Fatal(err)
	}
	if string(in) == "ZYXW9876" {
		t.Error("input not wiped")
	}
	j, _ := json.Marshal(struct{ P *pin.Secret }{s})
	out := fmt.Sprintf("%v %+v %#v %s %q", s, s, s, s, s) + string(j)
	if strings.Contains(out, "ZYXW") {
		t.Errorf("secret printed: %s", out)
	}
	b := s.Bytes()
	s.Wipe()
	if s.Len() != 0 || string(b) != string(make([]byte, 8)) {
		t.Error("not wiped")
	}
}
