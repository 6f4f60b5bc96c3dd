package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/shomei-app/shomei/app/uiservice"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// hub fans events out to the open event streams. It is the web shell's
// uiservice.Platform.
type hub struct {
	mu     sync.Mutex
	subs   map[chan []byte]bool
	closed bool
}

func newHub() *hub { return &hub{subs: map[chan []byte]bool{}} }

func (h *hub) subscribe() chan []byte {
	c := make(chan []byte, 1024)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(c)
		return c
	}
	h.subs[c] = true
	return c
}

func (h *hub) unsubscribe(c chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[c] {
		delete(h.subs, c)
		close(c)
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.subs {
		delete(h.subs, c)
		close(c)
	}
}

// Emit sends an event to every stream. A stream too slow to keep 1024
// events queued loses the oldest ones rather than stalling the service.
func (h *hub) Emit(name string, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		return
	}
	msg := []byte(fmt.Sprintf("event: %s\ndata: %s\n\n", name, b))
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs {
		select {
		case c <- msg:
		default:
			select {
			case <-c:
			default:
			}
			select {
			case c <- msg:
			default:
			}
		}
	}
}

func (h *hub) OpenFiles(string) ([]string, error) { return nil, uiservice.ErrUnsupported }
func (h *hub) Reveal(string) error                { return uiservice.ErrUnsupported }
