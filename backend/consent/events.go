package consent

import (
	"time"

	"github.com/shomei-app/shomei/backend/certlife"
	"github.com/shomei-app/shomei/backend/history"
)

// The history events of consents, built here once for every shell (List
// reads them back). A refusal is recorded as made; an agreement or a
// withdrawal when it was signed, or when the attempt reached the card and
// failed (the error's code as outcome, the tries left of a wrong password).

func decisionData(p *Parsed, d Decision, at time.Time) map[string]any {
	data := p.HistoryData()
	data["decision"] = string(d)
	data["date"] = at.In(certlife.JST).Format(time.DateOnly)
	return data
}

// RefusalEvent is a refusal: nothing signed, no card used.
func RefusalEvent(p *Parsed, at time.Time) history.Event {
	return history.Event{Kind: history.KindConsent, Outcome: history.OutcomeOK, Data: decisionData(p, Disagree, at)}
}

// AgreementEvent is an agreement signed into out (s), or an attempt that
// reached the card and failed (err; s nil) at time at.
func AgreementEvent(p *Parsed, at time.Time, testCard bool, s *Signed, out history.Written, err error) history.Event {
	data := decisionData(p, Agree, at)
	data["test_card"] = testCard
	if err != nil || s == nil {
		return history.Failed(history.KindConsent, data, err)
	}
	vd := s.Validity
	data["decided_at"] = stamp(s.At)
	data["valid_from"], data["valid_until"], data["validity_estimated"] = vd.From, vd.Until, vd.Estimated
	data["consent_sha256"] = s.FileSHA256
	out.Put(data, "output")
	return history.Event{Kind: history.KindConsent, Outcome: history.OutcomeOK, Data: data}
}

// WithdrawalEvent is the withdrawal of c signed into out (s), or an
// attempt that reached the card and failed (err; s nil) at time at.
func WithdrawalEvent(c *Consent, at time.Time, testCard bool, s *Signed, out history.Written, err error) history.Event {
	data := c.Parsed.HistoryData()
	data["consent_sha256"] = c.FileSHA256
	data["date"] = at.In(certlife.JST).Format(time.DateOnly)
	data["test_card"] = testCard
	if err != nil || s == nil {
		return history.Failed(history.KindConsentWithdraw, data, err)
	}
	data["withdrawn_at"] = stamp(s.At)
	data["withdrawal_sha256"] = s.FileSHA256
	out.Put(data, "output")
	return history.Event{Kind: history.KindConsentWithdraw, Outcome: history.OutcomeOK, Data: data}
}
