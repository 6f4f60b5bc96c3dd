// Package uiservice is the one service both shells of the UI call: its exported
// methods on Service are the desktop app's Wails bindings and the targets of
// `shomei serve`'s HTTP handlers. It imports no Wails: what it needs from a
// shell (events, native dialogs) goes through Platform.
//
// Errors are *Error values: a stable code, a sentence in the UI language and,
// for PIN outcomes, the tries left. Internal causes stay in the log.
package uiservice

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"path/filepath"
	"sync"
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/desk"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify/render"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/internal/version"
)

// Platform is everything the service asks of the shell it runs in. The
// desktop shell implements it with the Wails runtime, the web server with
// server-sent events; tests record the calls.
type Platform interface {
	// Emit sends an event to the UI (card changes, progress).
	Emit(name string, data any)
	// OpenFiles shows a native file dialog and returns the chosen paths
	// (desktop only; the browser uses its own file input).
	OpenFiles(title string) ([]string, error)
	// Reveal shows a file in the system's file manager (desktop only).
	Reveal(path string) error
}

// Event names.
const (
	EventCard     = "card"          // a reader or card came or went: {kind, reader}
	EventProgress = "sign.progress" // {job, done, total, current, result}
	EventSettings = "settings"      // settings changed: Settings
	EventCounter  = "counter"       // counter mode: CounterEvent
)

// Config builds a Service.
type Config struct {
	Cards    *cardsvc.Service
	Platform Platform
	Files    Files
	// DataDir holds settings.json (and the history and trust anchors of
	// their packages). Required.
	DataDir string
	// Watch reports reader and card changes; pcsc.Watch when nil.
	Watch func(ctx context.Context) <-chan pcsc.Event
	// Log receives internal causes (never PINs); log.Printf when nil.
	Log func(format string, args ...any)
	// LogEvents logs every reader and card event (its kind and the
	// reader's name) as the service receives it: `shomei serve` with
	// SHOMEI_EVENT_LOG=1, for the end-to-end tests' record.
	LogEvents bool
	// Mode is "desktop" or "web"; the UI adapts (file dialogs, downloads).
	Mode string
	// WorkDir is where the web shell keeps uploads and outputs (shown to
	// the user).
	WorkDir string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Service is the UI's API.
type Service struct {
	cfg   Config
	ctx   context.Context
	stop  context.CancelFunc
	logf  func(string, ...any)
	mu    sync.Mutex
	set   Settings
	certs map[string]*SignCertBrief // signing certificate seen per card ID, this run only
	tests map[string]bool           // card ID -> a test card, from the last status
	jobs  map[string]context.CancelFunc
	busy  bool // a PIN operation is running
	ready chan struct{}
	desk  desk.Desk      // counter mode: the card on the counter screen
	pdf   *render.Engine // the rendering comparison's engine, started on first use
	// events counts the reader and card changes seen, recent keeps the
	// last of them (event n at recent[n%len(recent)]); ahead is the card
	// state read while the UI's page loads (ReadAhead).
	events uint64
	recent [32]pcsc.Event
	ahead  *ahead
}

// New makes the service and starts watching readers (until Close).
func New(cfg Config) (*Service, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("api: no data directory")
	}
	if cfg.Watch == nil {
		cfg.Watch = pcsc.Watch
	}
	if cfg.Log == nil {
		cfg.Log = log.Printf
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Files == nil {
		cfg.Files = LocalFiles{}
	}
	if cfg.Mode == "" {
		cfg.Mode = "web"
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Service{cfg: cfg, ctx: ctx, stop: stop, logf: cfg.Log, certs: map[string]*SignCertBrief{}, tests: map[string]bool{}, jobs: map[string]context.CancelFunc{}, ready: make(chan struct{})}
	set, err := loadSettings(cfg.DataDir)
	if err != nil {
		s.logf("settings: %v (defaults used)", err)
	}
	s.set = set
	s.pdf = render.New(filepath.Join(cfg.DataDir, "cache", "pdfium"))
	go s.watch()
	return s, nil
}

// Close stops the watcher and cancels running jobs. (A function, not a
// method: every exported method of Service is a binding the UI may call.)
func Close(s *Service) { s.stop(); s.pdf.Close() }

func (s *Service) now() time.Time { return s.cfg.Now() }

func (s *Service) lang() i18n.Lang {
	s.mu.Lock()
	defer s.mu.Unlock()
	return i18n.Parse(s.set.Language)
}

func (s *Service) emit(name string, data any) {
	if s.cfg.Platform != nil {
		s.cfg.Platform.Emit(name, data)
	}
}

// watch forwards reader and card changes to the UI.
func (s *Service) watch() {
	for ev := range s.cfg.Watch(s.ctx) {
		s.mu.Lock()
		s.events++
		s.recent[s.events%uint64(len(s.recent))] = ev
		s.mu.Unlock()
		if s.cfg.LogEvents {
			s.logf("card event: %s %q", ev.Kind, ev.Reader)
		}
		s.emit(EventCard, ev)
		switch ev.Kind {
		case pcsc.CardRemoved, pcsc.ReaderRemoved:
			s.counterCardGone(ev.Reader)
		case pcsc.ServiceLost:
			s.counterCardGone("")
		}
	}
}

// Error is what the UI gets when a call fails.
type Error struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	TriesLeft *int   `json:"tries_left,omitempty"`
}

// Error is the JSON form, so a Wails binding's rejected promise carries the
// whole structure.
func (e *Error) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// fail turns err into an *Error in the UI language and logs the cause; nil
// stays nil.
func (s *Service) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	return s.apiErr(op, err)
}

func (s *Service) apiErr(op string, err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	f := i18n.FailureOf(s.lang(), err, true)
	s.logf("%s: %v", op, err)
	return &Error{Code: f.Code, Message: f.Message, TriesLeft: f.TriesLeft}
}

// userErr is an error of the API's own (bad request), with a message key.
func (s *Service) userErr(code, key string, args ...any) *Error {
	return &Error{Code: code, Message: i18n.T(s.lang(), key, args...)}
}

// Info is what the UI needs to know about its shell at start.
type Info struct {
	Mode    string `json:"mode"` // desktop | web
	Version string `json:"version"`
	DataDir string `json:"data_dir"`
	// Features lists backends present in this build (verify, history, trust).
	Features []string `json:"features"`
	WorkDir  string   `json:"work_dir,omitempty"`
}

// Version is this build's version (internal/version, stamped from git):
// the About line of the settings screen and the history's app version.
var Version = version.String()

// Info describes the shell.
func (s *Service) Info() Info {
	return Info{Mode: s.cfg.Mode, Version: Version, DataDir: s.cfg.DataDir, Features: features(), WorkDir: s.cfg.WorkDir}
}

// Ready is called by the UI once its first screen is drawn (used to
// measure the time to a usable window).
func (s *Service) Ready() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.ready:
	default:
		close(s.ready)
	}
}

// ReadyChan closes when the UI called Ready.
func ReadyChan(s *Service) <-chan struct{} { return s.ready }
