package history_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/history"
)

const benchEvents = 100_000

// big is a history of 100,000 sign events, built once per run.
var big struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func bigHistory(b *testing.B) string {
	big.once.Do(func() {
		big.dir, big.err = os.MkdirTemp("", "history-bench-")
		if big.err != nil {
			return
		}
		big.path = filepath.Join(big.dir, "h.db")
		big.err = appendN(big.path, benchEvents, 1000)
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.path
}

// appendN appends n sign events in transactions of batch events.
func appendN(path string, n, batch int) error {
	s, err := history.Open(path, history.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	evs := make([]history.Event, 0, batch)
	for i := 0; i < n; i++ {
		evs = append(evs, signEvent(i, t0.Add(time.Duration(i)*time.Minute)))
		if len(evs) == batch || i == n-1 {
			if _, err := s.Append(evs...); err != nil {
				return err
			}
			evs = evs[:0]
		}
	}
	return nil
}

// Appending 100,000 events, 1,000 per transaction (one op = 100,000 events).
func BenchmarkAppend100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		path := filepath.Join(b.TempDir(), "h.db")
		if err := appendN(path, benchEvents, 1000); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchEvents, "ns/event")
}

// One event per transaction (each synced to disk), on a store kept open:
// what the desktop app pays per event.
func BenchmarkAppendOne(b *testing.B) {
	s, err := history.Open(filepath.Join(b.TempDir(), "h.db"), history.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ev := signEvent(1, t0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Append(ev); err != nil {
			b.Fatal(err)
		}
	}
}

// Open, append one event, close: what each CLI command pays, on a history
// of 100,000 events.
func BenchmarkRecordInto100k(b *testing.B) {
	path := bigHistory(b)
	ev := signEvent(1, t0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := history.Record(path, ev); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRead(b *testing.B, f func(s *history.Store) error) {
	s, err := history.Open(bigHistory(b), history.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := f(s); err != nil {
			b.Fatal(err)
		}
	}
}

// The newest 50 of 100,000 (the UI's first page).
func BenchmarkListNewest50(b *testing.B) {
	benchRead(b, func(s *history.Store) error {
		p, err := s.List(history.Query{Limit: 50})
		if err == nil && len(p.Events) != 50 {
			b.Fatalf("%d events", len(p.Events))
		}
		return err
	})
}

// A text filter over 100,000 events: a Japanese file name (10 hits), an
// ASCII word in another case that is in every event (first 50), an ASCII
// word found nowhere (case folding over every byte) and Japanese found
// nowhere.
func BenchmarkFilterText100k(b *testing.B) {
	b.Run("japanese", func(b *testing.B) {
		benchRead(b, func(s *history.Store) error {
			p, err := s.List(history.Query{Text: "契約書-7777"})
			if err == nil && len(p.Events) != 10 {
				b.Fatalf("%d events", len(p.Events))
			}
			return err
		})
	})
	b.Run("ascii-first-50", func(b *testing.B) {
		benchRead(b, func(s *history.Store) error {
			p, err := s.List(history.Query{Text: "PADES", Limit: 50})
			if err == nil && len(p.Events) != 50 {
				b.Fatalf("%d events", len(p.Events))
			}
			return err
		})
	})
	b.Run("ascii-no-match", func(b *testing.B) {
		benchRead(b, func(s *history.Store) error {
			p, err := s.List(history.Query{Text: "Invoice"})
			if err == nil && len(p.Events) != 0 {
				b.Fatalf("%d events", len(p.Events))
			}
			return err
		})
	})
	b.Run("no-match", func(b *testing.B) {
		benchRead(b, func(s *history.Store) error {
			p, err := s.List(history.Query{Text: "見つからない"})
			if err == nil && len(p.Events) != 0 {
				b.Fatalf("%d events", len(p.Events))
			}
			return err
		})
	})
}

// Verifying a chain of 100,000 events.
func BenchmarkVerify100k(b *testing.B) {
	benchRead(b, func(s *history.Store) error {
		rep, err := s.Verify()
		if err == nil && (!rep.OK || rep.Events < benchEvents) {
			b.Fatalf("%+v", rep)
		}
		return err
	})
}
