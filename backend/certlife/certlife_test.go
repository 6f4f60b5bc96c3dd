package certlife_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/i18n"
)

func jst(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, certlife.JST)
}

// The renewal window opens on the day after the date three months before
// expiry; seed 001 第6条 gives 6 June → 7 March. Month ends clamp.
func TestRenewalFrom(t *testing.T) {
	for _, tc := range []struct {
		expiry time.Time
		want   string
	}{
		{jst(2030, time.June, 6, 23), "2030-03-07"}, // the seed's own example
		{jst(2030, time.May, 31, 12), "2030-03-01"}, // 31 May → 28 Feb → 1 Mar
		{jst(2032, time.May, 31, 12), "2032-03-01"}, // leap year: 29 Feb → 1 Mar
		{jst(2030, time.March, 15, 0), "2029-12-16"},
		{jst(2030, time.January, 1, 9), "2029-10-02"},
		// The certificate's NotAfter is a UTC instant: 14:59:59Z is still
		// the 6th in Japan, 15:00Z is the 7th.
		{time.Date(2030, time.June, 6, 14, 59, 59, 0, time.UTC), "2030-03-07"},
		{time.Date(2030, time.June, 6, 15, 0, 0, 0, time.UTC), "2030-03-08"},
	} {
		if got := certlife.RenewalFrom(tc.expiry).Format(time.DateOnly); got != tc.want {
			t.Errorf("expiry %v: renewal from %s, want %s", tc.expiry, got, tc.want)
		}
	}
}

// Days left, the warning window (90 days by default, or the caller's), the
// renewal window and expiry, on the days around each boundary.
func TestAssess(t *testing.T) {
	exp := time.Date(2030, time.June, 6, 14, 59, 59, 0, time.UTC) // 6 June 23:59:59 JST
	for _, tc := range []struct {
		now                      time.Time
		warnDays                 int
		days                     int
		expired, warn, renewable bool
	}{
		{jst(2029, time.June, 6, 10), 0, 365, false, false, false},
		{jst(2030, time.March, 8, 10), 0, 90, false, true, true},  // day 90: warned
		{jst(2030, time.March, 7, 10), 0, 91, false, false, true}, // renewal opens, not yet warned
		{jst(2030, time.March, 6, 23), 0, 92, false, false, false},
		{jst(2030, time.March, 6, 23), 120, 92, false, true, false}, // a longer warning window
		{jst(2030, time.June, 6, 23), 0, 0, false, true, true},      // last day
		{jst(2030, time.June, 7, 0), 0, -1, true, true, true},       // expired
	} {
		l := certlife.Assess(certlife.Auth, exp, tc.now, tc.warnDays)
		if l.DaysLeft != tc.days || l.Expired != tc.expired || l.Warn != tc.warn || l.RenewableNow != tc.renewable {
			t.Errorf("%v (warn %d): %+v", tc.now, tc.warnDays, l)
		}
		if l.ExpiresOn != "2030-06-06" || l.RenewalFrom != "2030-03-07" {
			t.Errorf("dates: %s %s", l.ExpiresOn, l.RenewalFrom)
		}
	}
}

// The signing certificate carries the move/name-change note, the auth
// certificate the note that it survives a move; every line exists in both
// languages.
func TestLines(t *testing.T) {
	exp := time.Date(2030, time.June, 6, 14, 59, 59, 0, time.UTC)
	sign := certlife.Assess(certlife.Sign, exp, jst(2030, time.April, 1, 9), 0)
	ja, en := sign.Lines(i18n.JA), sign.Lines(i18n.EN)
	if len(ja) != 3 || len(en) != 3 {
		t.Fatalf("lines: %q %q", ja, en)
	}
	if !strings.Contains(ja[0], "残り 66 日") || !strings.Contains(ja[1], "2030-03-07") || !strings.Contains(ja[2], "引越し") {
		t.Errorf("ja: %q", ja)
	}
	if !strings.Contains(en[0], "66 days") || !strings.Contains(en[2], "move") {
		t.Errorf("en: %q", en)
	}
	auth := certlife.Assess(certlife.Auth, exp, jst(2027, time.April, 1, 9), 0)
	if l := auth.Lines(i18n.EN); len(l) != 3 || !strings.Contains(l[0], "valid until 2030-06-06") || !strings.Contains(l[1], "2030-03-07") || !strings.Contains(l[2], "survives") {
		t.Errorf("auth: %q", l)
	}
	gone := certlife.Assess(certlife.Auth, exp, jst(2031, time.January, 1, 9), 0)
	if l := gone.Lines(i18n.JA); !strings.Contains(l[0], "切れました") {
		t.Errorf("expired: %q", l)
	}
	for _, l := range append(ja, en...) {
		if strings.HasPrefix(l, "certlife.") || strings.Contains(l, "%!") {
			t.Errorf("untranslated or badly formatted: %q", l)
		}
	}
}

// When the renewal window is said, the same for the command line and the
// screens: while the certificate is valid, open or not yet (with the day it
// opens); never after the expiry, whose line says a new one is issued.
func TestRenewalLine(t *testing.T) {
	exp := time.Date(2030, time.June, 6, 14, 59, 59, 0, time.UTC)
	const open, later = "renewed now", "Renewal opens"
	for _, c := range []struct {
		name     string
		now      time.Time
		warnDays int
		want     string // the renewal line ("" none)
	}{
		{"far", jst(2029, time.November, 1, 9), 90, later},
		{"near, not open", jst(2030, time.February, 20, 9), 120, later},
		{"open", jst(2030, time.April, 1, 9), 90, open},
		{"expired", jst(2031, time.January, 1, 9), 90, ""},
	} {
		l := certlife.Assess(certlife.Auth, exp, c.now, c.warnDays)
		lines := l.Lines(i18n.EN)
		n := 2 // the expiry line and the note
		got := ""
		if len(lines) == 3 {
			n, got = 3, lines[1]
		}
		if len(lines) != n || c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want the renewal line %q", c.name, lines, c.want)
		}
		if c.name == "expired" && !strings.Contains(lines[0], "new one is issued") {
			t.Errorf("expired: %q does not say a new one is issued", lines[0])
		}
	}
}
