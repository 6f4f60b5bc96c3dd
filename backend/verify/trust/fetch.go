package trust

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// URLBase is where J-LIS publishes its root certificates ("認証局の運営",
// https://www.jpki.go.jp/ca/index.html). The file names are the pins' names
// with .cer. They could not be fetched from this project's machines (no
// internet); callers may pass other URLs to Fetch.
const URLBase = "https://www.jpki.go.jp/ca/pdf/"

// DefaultURLs are J-LIS's published root files for every pin that has a
// fingerprint.
func DefaultURLs() []string {
	var out []string
	for _, p := range pins {
		if p.SHA256 != "" {
			out = append(out, URLBase+p.Name+".cer")
		}
	}
	return out
}

// Fetch problems, by code.
const (
	FetchNetwork        = "network"         // the request failed
	FetchHTTPStatus     = "http_status"     // the server did not answer 200
	FetchTooLarge       = "too_large"       // more than a certificate file can be
	FetchNotCertificate = "not_certificate" // no X.509 certificate in the answer
	FetchNotPinned      = "not_pinned"      // a certificate, but not a pinned J-LIS root
)

// FetchError is one URL that gave no pinned root.
type FetchError struct {
	URL  string
	Code string
	Err  error
}

func (e *FetchError) Error() string { return fmt.Sprintf("%s: %s: %v", e.URL, e.Code, e.Err) }
func (e *FetchError) Unwrap() error { return e.Err }

// Fetch downloads root certificate files (DefaultURLs when urls is empty)
// and returns the J-LIS anchors among them: only certificates whose SHA-256
// matches a pin. Every URL that gave none is reported in the returned error
// (an errors.Join of *FetchError), alongside the anchors that were found.
// client nil means a client with a 30 s timeout. Nothing is added to a
// store: the caller adds the anchors it wants with AddJLIS.
func Fetch(ctx context.Context, client *http.Client, urls []string) ([]Anchor, error) {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	if len(urls) == 0 {
		urls = DefaultURLs()
	}
	var found []Anchor
	var errs []error
	for _, u := range urls {
		as, err := fetchOne(ctx, client, u)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		found = append(found, as...)
	}
	return found, errors.Join(errs...)
}

func fetchOne(ctx context.Context, client *http.Client, u string) ([]Anchor, error) {
	fail := func(code string, err error) ([]Anchor, error) {
		return nil, &FetchError{URL: u, Code: code, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fail(FetchNetwork, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fail(FetchNetwork, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail(FetchHTTPStatus, fmt.Errorf("HTTP %s", resp.Status))
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxCertFile+1))
	if err != nil {
		return fail(FetchNetwork, err)
	}
	if len(raw) > maxCertFile {
		return fail(FetchTooLarge, fmt.Errorf("more than %d bytes", maxCertFile))
	}
	certs, err := ParseCerts(raw)
	if err != nil {
		return fail(FetchNotCertificate, err)
	}
	var out []Anchor
	var refused []string
	for _, c := range certs {
		a, err := jlisAnchor(c.Raw)
		if err != nil {
			refused = append(refused, Fingerprint(c.Raw))
			continue
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return fail(FetchNotPinned, fmt.Errorf("%w: %s", ErrNotPinned, strings.Join(refused, ", ")))
	}
	return out, nil
}
