// Package tsa asks an RFC 3161 time-stamping authority for a token over a
// signature value (the CAdES/PAdES signature timestamp of level B-T).
package tsa

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"github.com/digitorus/timestamp"
)

// Client talks to one TSA.
type Client struct {
	URL     string
	HTTP    *http.Client
	Timeout time.Duration
}

// maxReply bounds what we read from a TSA.
const maxReply = 1 << 20

// Token returns a timestamp token (a DER ContentInfo) over SHA-256 of data,
// after checking that the reply answers this very request (imprint, nonce).
func (c *Client) Token(ctx context.Context, data []byte) ([]byte, error) {
	h := sha256.Sum256(data)
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, err
	}
	req := &timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: h[:], Certificates: true, Nonce: nonce}
	body, err := req.Marshal()
	if err != nil {
		return nil, err
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("time-stamping authority unreachable: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("time-stamping authority answered HTTP %d", resp.StatusCode)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxReply {
		return nil, errors.New("time-stamping authority reply too large")
	}
	ts, err := timestamp.ParseResponse(raw)
	if err != nil {
		return nil, fmt.Errorf("time-stamping authority reply: %w", err)
	}
	if !bytes.Equal(ts.HashedMessage, h[:]) || ts.HashAlgorithm != crypto.SHA256 {
		return nil, errors.New("the timestamp is not over this signature")
	}
	if ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, errors.New("the timestamp does not answer this request (nonce)")
	}
	return ts.RawToken, nil
}
