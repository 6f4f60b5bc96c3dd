// Package web is `shomei serve`: the UI in a browser on the same machine,
// over HTTP on a loopback address.
//
// Security model. The server listens on loopback only. Each launch makes a
// random token, printed in the URL the user opens; every API request must
// carry it (header X-Shomei-Token, or ?token= where a browser cannot set a
// header: event stream, downloads). The Host header must be the address the
// server listens on (a DNS-rebinding page names another host), an Origin
// header must be the server's own and is required on POST, and no CORS
// header is ever sent. API bodies are limited to 1 MiB, uploads to
// MaxUpload. A PIN travels only in the JSON body of the one request that
// uses it; bodies are never logged.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/shomei-app/shomei/app/uiservice"
)

// Options configure a Server.
type Options struct {
	// Addr is host:port; the host must be a loopback IP (127.0.0.0/8 or
	// ::1). Port 0 picks a free one. Default 127.0.0.1:0.
	Addr string
	// MaxBody limits API request bodies (default 1 MiB).
	MaxBody int64
	// MaxUpload limits one uploaded file (default 4 GiB).
	MaxUpload int64
	// WorkDir holds uploads and the signatures made of them (default: a
	// new temporary folder, removed by Close).
	WorkDir string
	// Assets is the built frontend (index.html at its root).
	Assets fs.FS
	// Log receives request failures (never bodies); log.Printf when nil.
	Log func(format string, args ...any)
	// Phase, when set, is told when each request arrives and is answered
	// (method and path, never the query: it may hold the token) and when
	// the index's parts go out: `shomei serve` with SHOMEI_READY_LOG=1.
	Phase func(what string)
}

// Server is the local web UI's HTTP server.
type Server struct {
	opt     Options
	ln      net.Listener
	token   string
	host    string // the only Host header accepted
	origin  string // the only Origin accepted
	hub     *hub
	uploads *Uploads
	ownWork bool
	svc     *uiservice.Service
	calls   map[string]call
	logf    func(string, ...any)
}

// ErrNotLoopback refuses an address anyone else could reach.
var ErrNotLoopback = errors.New("shomei serve listens on a loopback address only (127.0.0.1 or ::1)")

// Listen checks the options, binds the address and makes the token.
func Listen(opt Options) (*Server, error) {
	if opt.Addr == "" {
		opt.Addr = "127.0.0.1:0"
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = 1 << 20
	}
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = 4 << 30
	}
	if opt.Log == nil {
		opt.Log = log.Printf
	}
	host, _, err := net.SplitHostPort(opt.Addr)
	if err != nil {
		return nil, err
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, ErrNotLoopback
	}
	s := &Server{opt: opt, hub: newHub(), logf: opt.Log}
	if opt.WorkDir == "" {
		d, err := os.MkdirTemp("", "shomei-serve-")
		if err != nil {
			return nil, err
		}
		opt.WorkDir, s.ownWork = d, true
		s.opt.WorkDir = d
	}
	s.uploads = &Uploads{Dir: opt.WorkDir}
	var tok [32]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return nil, err
	}
	s.token = hex.EncodeToString(tok[:])
	s.ln, err = net.Listen("tcp", opt.Addr)
	if err != nil {
		s.cleanup()
		return nil, err
	}
	s.host = s.ln.Addr().String() // 127.0.0.1:PORT or [::1]:PORT
	s.origin = "http://" + s.host
	return s, nil
}

// URL is what the user opens: the page with the token.
func (s *Server) URL() string { return s.origin + "/?token=" + s.token }

// Addr is the address listened on.
func (s *Server) Addr() string { return s.host }

// Token is this launch's token.
func (s *Server) Token() string { return s.token }

// Platform is the uiservice.Platform of the web shell: events go out as
// server-sent events; native dialogs do not exist.
func (s *Server) Platform() uiservice.Platform { return s.hub }

// Files is the uiservice.Files of the web shell: references to uploads.
func (s *Server) Files() uiservice.Files { return s.uploads }

// Serve answers requests with svc until ctx ends, then closes.
func (s *Server) Serve(ctx context.Context, svc *uiservice.Service) error {
	s.svc = svc
	s.calls = calls(svc)
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go func() {
		<-ctx.Done()
		s.hub.close()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	err := hs.Serve(s.ln)
	s.cleanup()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (s *Server) phase(what string) {
	if s.opt.Phase != nil {
		s.opt.Phase(what)
	}
}

func (s *Server) cleanup() {
	if s.ownWork {
		os.RemoveAll(s.opt.WorkDir)
	}
}

// Handler is the whole server: every request passes the Host check; the API
// also the token and the Origin checks.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/call/{method}", s.handleCall)
	mux.HandleFunc("/api/upload", s.handleUpload)
	mux.HandleFunc("/api/download", s.handleDownload)
	mux.HandleFunc("/api/events", s.handleEvents)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { httpError(w, http.StatusNotFound, "not_found") })
	mux.Handle("/", s.static())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opt.Phase != nil {
			s.opt.Phase(r.Method + " " + r.URL.Path + " asked for")
			defer s.opt.Phase(r.Method + " " + r.URL.Path + " answered")
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		if r.Host != s.host {
			httpError(w, http.StatusForbidden, "bad_host")
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
			if code, why := s.checkAPI(r); code != 0 {
				httpError(w, code, why)
				return
			}
		}
		mux.ServeHTTP(w, r)
	})
}

// checkAPI applies the token and Origin rules; 0 means the request passes.
func (s *Server) checkAPI(r *http.Request) (int, string) {
	tok := r.Header.Get("X-Shomei-Token")
	if tok == "" {
		tok = r.URL.Query().Get("token")
	}
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) != 1 {
		return http.StatusUnauthorized, "bad_token"
	}
	origin := r.Header.Get("Origin")
	switch {
	case origin != "" && origin != s.origin:
		return http.StatusForbidden, "bad_origin"
	case origin == "" && r.Method != http.MethodGet && r.Method != http.MethodHead:
		return http.StatusForbidden, "no_origin"
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return http.StatusForbidden, "cross_site"
	}
	return 0, ""
}

func httpError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": http.StatusText(status)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// handleCall runs one API method: POST /api/call/{method} with the method's
// argument as the JSON body (none for methods without one).
func (s *Server) handleCall(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		httpError(w, http.StatusMethodNotAllowed, "method")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		httpError(w, http.StatusUnsupportedMediaType, "content_type")
		return
	}
	c, ok := s.calls[r.PathValue("method")]
	if !ok {
		httpError(w, http.StatusNotFound, "no_method")
		return
	}
	if r.ContentLength > s.opt.MaxBody {
		httpError(w, http.StatusRequestEntityTooLarge, "too_large")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opt.MaxBody))
	defer clear(body) // it may hold a PIN
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			httpError(w, http.StatusRequestEntityTooLarge, "too_large")
			return
		}
		httpError(w, http.StatusBadRequest, "read")
		return
	}
	out, err := c(body)
	if err != nil {
		var ae *uiservice.Error
		if !errors.As(err, &ae) {
			s.logf("serve: %s: %v", r.PathValue("method"), err)
			httpError(w, http.StatusBadRequest, "bad_request")
			return
		}
		status := http.StatusBadRequest
		if ae.Code == "internal" {
			status = http.StatusInternalServerError
		}
		writeJSON(w, status, map[string]any{"error": ae})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": out})
}

// handleUpload stores the body as a file: POST /api/upload?name=NAME.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		httpError(w, http.StatusMethodNotAllowed, "method")
		return
	}
	if r.ContentLength > s.opt.MaxUpload {
		httpError(w, http.StatusRequestEntityTooLarge, "too_large")
		return
	}
	info, err := s.uploads.Save(r.URL.Query().Get("name"), http.MaxBytesReader(w, r.Body, s.opt.MaxUpload))
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			httpError(w, http.StatusRequestEntityTooLarge, "too_large")
		case errors.Is(err, errBadName):
			httpError(w, http.StatusBadRequest, "bad_name")
		default:
			s.logf("serve: upload: %v", err)
			httpError(w, http.StatusInternalServerError, "upload")
		}
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": info})
}

// handleDownload sends a file of the work folder: GET /api/download?ref=R.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		httpError(w, http.StatusMethodNotAllowed, "method")
		return
	}
	p, err := s.uploads.Input(r.URL.Query().Get("ref"))
	if err != nil {
		httpError(w, http.StatusNotFound, "not_found")
		return
	}
	f, err := os.Open(p)
	if err != nil {
		httpError(w, http.StatusNotFound, "not_found")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		httpError(w, http.StatusNotFound, "not_found")
		return
	}
	name := fi.Name()
	disp := "attachment"
	if r.URL.Query().Get("inline") == "1" {
		disp = "inline"
	}
	w.Header().Set("Content-Disposition", disp+"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Type", contentType(name))
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

func contentType(name string) string {
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".pdf"):
		return "application/pdf"
	case strings.HasSuffix(name, ".p7s"), strings.HasSuffix(name, ".p7m"):
		return "application/pkcs7-signature"
	}
	return "application/octet-stream"
}

// handleEvents streams events: GET /api/events (server-sent events).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok || r.Method != http.MethodGet {
		httpError(w, http.StatusMethodNotAllowed, "method")
		return
	}
	sub := s.hub.subscribe()
	defer s.hub.unsubscribe(sub)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "event: hello\ndata: {}\n\n")
	fl.Flush()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg, ok := <-sub:
			if !ok {
				return
			}
			w.Write(msg)
			fl.Flush()
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		}
	}
}

// static serves the built frontend; the index is never cached.
func (s *Server) static() http.Handler {
	if s.opt.Assets == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	}
	files := http.FileServerFS(s.opt.Assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			httpError(w, http.StatusMethodNotAllowed, "method")
			return
		}
		if r.URL.Path == "/" || r.URL.Path == "/index.html" {
			w.Header().Set("Cache-Control", "no-store")
			// The page's first call wants the card's state: read it while
			// the browser loads the page.
			if r.Method == http.MethodGet && s.svc != nil {
				uiservice.ReadAhead(s.svc)
				if s.index(w, r) {
					return
				}
			}
		}
		files.ServeHTTP(w, r)
	})
}

// ShellID and CardID are the ids of the elements of the index page that
// carry the first call's answer (uiservice.FirstScreen as JSON: its shell
// part, then its card state), when the page was asked for with this
// launch's token.
const (
	ShellID = "shomei-start"
	CardID  = "shomei-card"
)

// index sends the index page with the first call's answer in it, when the
// request carries the token (the URL the server printed). The page's head
// and the answer's shell part (settings, texts: nothing that waits for the
// card) go out at once, with the module script made async so that it runs
// as soon as it is loaded: the browser fetches, runs and draws the UI while
// the card is read. Then the card's state, then the page's end. The answer
// is in script elements of type application/json (data, not code: the
// Content-Security-Policy still allows no inline script). Without the token
// (a reload: the page took it out of the address bar) it reports false and
// the page asks Start itself.
func (s *Server) index(w http.ResponseWriter, r *http.Request) bool {
	tok := r.URL.Query().Get("token")
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) != 1 {
		return false
	}
	page, err := fs.ReadFile(s.opt.Assets, "index.html")
	if err != nil {
		return false
	}
	page = bytes.Replace(page, []byte(`<script type="module" `), []byte(`<script type="module" async `), 1)
	cut := bytes.LastIndex(page, []byte("</body>"))
	if cut < 0 {
		cut = len(page)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(page[:cut])
	data(w, ShellID, uiservice.Shell(s.svc))
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	s.phase("index: page and shell sent")
	data(w, CardID, uiservice.FirstCard(s.svc, ""))
	w.Write(page[cut:])
	s.phase("index: card state sent")
	return true
}

// FirstPage is the index page with Start's answer in it, as index sends
// it but whole and with the module script as it is (deferred): for the
// desktop window, whose asset server takes the page whole to add its own
// scripts before the UI's.
func FirstPage(page []byte, svc *uiservice.Service) []byte {
	cut := bytes.LastIndex(page, []byte("</body>"))
	if cut < 0 {
		cut = len(page)
	}
	var b bytes.Buffer
	b.Write(page[:cut])
	data(&b, ShellID, uiservice.Shell(svc))
	data(&b, CardID, uiservice.FirstCard(svc, ""))
	b.Write(page[cut:])
	return b.Bytes()
}

// data writes v as a JSON data element. json.Marshal escapes <, > and &
// (and U+2028/2029): the text cannot end the element.
func data(w io.Writer, id string, v any) {
	b, err := json.Marshal(v)
	if err == nil {
		fmt.Fprintf(w, "<script type=\"application/json\" id=%q>%s</script>\n", id, b)
	}
}
