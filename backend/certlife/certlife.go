// Package certlife says where a card certificate stands in its life: days to
// expiry, a warning ahead of it, when renewal opens, and what ends the
// signing certificate early. Dates are calendar dates in Japan (JST), the
// way the card's holder reads them.
//
// Facts and their source (seed documents in ../shared/seeds, summarised in
// docs/seeds.md):
//   - renewal of a card certificate opens on the day after the date three
//     months before its expiry; the example given is an expiry on 6 June
//     (a birthday) with renewal from 7 March (seed 001, 第6条);
//   - a move or a change of name (marriage and the like) invalidates the
//     signing certificate, while the user-authentication certificate
//     survives a move (seed 001, 第8条 1(1)イ);
//   - procedures for the card's certificates are done at the municipal
//     counter, unlike the smartphone ones (seed 001, 第6条 and 第3条, by
//     contrast).
//
// How many days ahead to warn is the product's choice (90 by default).
package certlife

import (
	"time"

	"github.com/shomei-app/shomei/backend/i18n"
)

// JST is Japan Standard Time (no daylight saving), fixed so no time zone
// database is needed.
var JST = time.FixedZone("JST", 9*60*60)

// DefaultWarnDays is how many days before expiry the warning starts.
const DefaultWarnDays = 90

// Which names one of the card's two certificates.
type Which string

const (
	Sign Which = "sign" // 署名用電子証明書
	Auth Which = "auth" // 利用者証明用電子証明書
)

// Life is a certificate's standing on a given day.
type Life struct {
	Cert         Which     `json:"certificate"`
	NotAfter     time.Time `json:"not_after"`
	ExpiresOn    string    `json:"expires_on"` // YYYY-MM-DD, JST
	DaysLeft     int       `json:"days_left"`  // calendar days from today to the expiry date; negative once past
	Expired      bool      `json:"expired"`
	Warn         bool      `json:"warn"`         // expired, or expiring within the warning window
	RenewalFrom  string    `json:"renewal_from"` // YYYY-MM-DD, JST: the first day renewal is possible
	RenewableNow bool      `json:"renewable_now"`
	// Notes are stable codes of the standing remarks: "move_ends_sign" for
	// the signing certificate, "auth_survives_move" for the other.
	Notes []string `json:"notes"`
}

// civil is a calendar date as a UTC midnight, for day arithmetic.
func civil(t time.Time) time.Time {
	y, m, d := t.In(JST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// monthsBefore goes back n months from a date, keeping the day of the month
// but never past the end of the target month (31 May → 28/29 February).
func monthsBefore(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// RenewalFrom is the first day a certificate expiring on expiry (a calendar
// date) can be renewed: the day after the date three months earlier
// (seed 001, 第6条: 6 June → 7 March).
func RenewalFrom(expiry time.Time) time.Time {
	return monthsBefore(civil(expiry), 3).AddDate(0, 0, 1)
}

// DaysLeft is the one count of days every screen shows: calendar days
// (Japan time) from now's day to the expiry day; negative once past.
func DaysLeft(notAfter, now time.Time) int {
	return int(civil(notAfter).Sub(civil(now)).Hours() / 24)
}

// Assess returns the standing of a certificate expiring at notAfter on the
// day of now. warnDays ≤ 0 means DefaultWarnDays.
func Assess(which Which, notAfter, now time.Time, warnDays int) Life {
	if warnDays <= 0 {
		warnDays = DefaultWarnDays
	}
	today, exp := civil(now), civil(notAfter)
	renew := RenewalFrom(notAfter)
	l := Life{
		Cert:        which,
		NotAfter:    notAfter,
		ExpiresOn:   exp.Format(time.DateOnly),
		DaysLeft:    DaysLeft(notAfter, now),
		Expired:     now.After(notAfter),
		RenewalFrom: renew.Format(time.DateOnly),
	}
	l.Warn = l.Expired || l.DaysLeft <= warnDays
	l.RenewableNow = !today.Before(renew)
	if which == Sign {
		l.Notes = []string{"move_ends_sign"}
	} else {
		l.Notes = []string{"auth_survives_move"}
	}
	return l
}

// Lines explains the standing in lang, the same on every screen and on
// the command line: the expiry line (or the warning; once expired, that a
// new certificate is issued), the renewal window while the certificate is
// valid (open now, or the day it opens), and the standing notes. An expired
// certificate is not renewed, so no renewal line then.
func (l Life) Lines(lang i18n.Lang) []string {
	name := i18n.T(lang, "certlife.cert."+string(l.Cert))
	var out []string
	switch {
	case l.Expired:
		out = append(out, i18n.T(lang, "certlife.expired", name, l.ExpiresOn))
	case l.Warn:
		out = append(out, i18n.T(lang, "certlife.warn", name, l.DaysLeft, l.ExpiresOn))
	default:
		out = append(out, i18n.T(lang, "certlife.valid", name, l.ExpiresOn, l.DaysLeft))
	}
	switch {
	case l.Expired:
	case l.RenewableNow:
		out = append(out, i18n.T(lang, "certlife.renew.open", l.RenewalFrom))
	default:
		out = append(out, i18n.T(lang, "certlife.renew.later", l.RenewalFrom))
	}
	for _, n := range l.Notes {
		out = append(out, i18n.T(lang, "certlife.note."+n))
	}
	return out
}
