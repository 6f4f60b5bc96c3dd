package uiservice_test

import "testing"

// A counter read that finds the desk's card gone clears the person as the
// removal itself does, event included; the removal event that follows has
// nothing left to clear but the screen has already been told.
func TestCounterReadFindsTheCardGone(t *testing.T) {
	f := newFixture(t)
	if v := f.svc.CounterStatus(""); !v.Shown {
		t.Fatalf("the card is not shown: %+v", v)
	}
	f.slot.Remove()
	if v := f.svc.CounterStatus(""); v.Shown {
		t.Fatalf("a card is shown after it left: %+v", v)
	}
	f.rec.wait(t, `counter {"event":"cleared","reason":"card_removed"`)
	if n := f.rec.count("counter "); n != 1 {
		t.Errorf("%d counter events: %q", n, f.rec.events)
	}
	// Nothing on the desk any more: a second read sends no second event.
	f.svc.CounterStatus("")
	if n := f.rec.count("counter "); n != 1 {
		t.Errorf("%d counter events after a second read: %q", n, f.rec.events)
	}
}

// A read of another reader, empty, leaves the card on the desk and sends
// no event.
func TestCounterReadOfAnotherReader(t *testing.T) {
	f := newFixture(t)
	if v := f.svc.CounterStatus(""); !v.Shown {
		t.Fatalf("the card is not shown: %+v", v)
	}
	f.svc.CounterStatus("another reader")
	if n := f.rec.count("counter "); n != 0 {
		t.Errorf("%d counter events for a read of another reader: %q", n, f.rec.events)
	}
	f.slot.Remove()
	f.svc.CounterStatus("memory")
	f.rec.wait(t, `counter {"event":"cleared","reason":"card_removed"`)
}
