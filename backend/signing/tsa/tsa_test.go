package tsa_test

import (
	"context"
	"testing"

	"github.com/digitorus/timestamp"

	"github.com/shomei-app/shomei/backend/signing/tsa"
	"github.com/shomei-app/shomei/backend/signing/tsa/tsatest"
)

// The client gets a token over the data from a local TSA and checks it.
func TestToken(t *testing.T) {
	srv := tsatest.Start(t)
	tok, err := (&tsa.Client{URL: srv.URL}).Token(context.Background(), []byte("signature value"))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := timestamp.Parse(tok)
	if err != nil || ts.Time.IsZero() {
		t.Fatalf("token: %v", err)
	}
	if _, err := (&tsa.Client{URL: srv.URL + "/nope"}).Token(context.Background(), nil); err != nil {
		t.Logf("(any path is served) %v", err)
	}
	if _, err := (&tsa.Client{URL: "http://127.0.0.1:1"}).Token(context.Background(), nil); err == nil {
		t.Error("unreachable TSA gave a token")
	}
}
