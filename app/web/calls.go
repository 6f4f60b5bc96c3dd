package web

import (
	"encoding/json"
	"errors"

	"github.com/shomei-app/shomei/app/uiservice"
)

// call runs one API method with its JSON argument.
type call func(body []byte) (any, error)

var errArg = errors.New("the request body is not the method's argument")

// arg decodes the body into the method's argument; unknown fields are
// refused so a typo does not silently drop an option.
func arg[A any](body []byte) (A, error) {
	var a A
	if len(body) == 0 {
		return a, errArg
	}
	dec := json.NewDecoder(bytesReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return a, errArg
	}
	return a, nil
}

func with[A, R any](f func(A) (R, error)) call {
	return func(body []byte) (any, error) {
		a, err := arg[A](body)
		if err != nil {
			return nil, err
		}
		return f(a)
	}
}

func none[R any](f func() R) call {
	return func([]byte) (any, error) { return f(), nil }
}

func noneErr[R any](f func() (R, error)) call {
	return func([]byte) (any, error) { return f() }
}

func only[A any](f func(A) error) call {
	return func(body []byte) (any, error) {
		a, err := arg[A](body)
		if err != nil {
			return nil, err
		}
		return nil, f(a)
	}
}

// calls is the table of what a browser may call: the same methods the
// desktop app binds, listed one by one.
func calls(s *uiservice.Service) map[string]call {
	m := map[string]call{
		"Info":         none(s.Info),
		"Ready":        func([]byte) (any, error) { s.Ready(); return nil, nil },
		"Readers":      noneErr(s.Readers),
		"Status":       with(s.Status),
		"CardState":    plain(s.CardState),
		"Start":        plain(s.Start),
		"ChangePIN":    only(s.ChangePIN),
		"Sign":         with(s.Sign),
		"CancelSign":   func(b []byte) (any, error) { j, err := arg[string](b); s.CancelSign(j); return nil, err },
		"Describe":     with(s.Describe),
		"Settings":     none(s.Settings),
		"SaveSettings": with(s.SaveSettings),
		"Texts":        none(s.Texts),
		"PINPolicy":    none(s.PINPolicy),
	}
	for k, v := range extraCalls(s) {
		m[k] = v
	}
	for k, v := range workflowCalls(s) {
		m[k] = v
	}
	return m
}

// extraCalls lists the methods of the verification, history and trust
// screens.
func extraCalls(s *uiservice.Service) map[string]call {
	return map[string]call{
		"Verify":          with(s.Verify),
		"ExtractRevision": with(s.ExtractRevision),
		"ComparePage":     with(s.ComparePage),
		"History":         with(s.History),
		"ExportHistory":   with(s.ExportHistory),
		"Anchors":         noneErr(s.Anchors),
		"AddAnchor":       with(s.AddAnchor),
		"RemoveAnchor":    with(s.RemoveAnchor),
		"AddCardRoots":    with(s.AddCardRoots),
	}
}

// plain wraps a method that takes an argument and cannot fail.
func plain[A, R any](f func(A) R) call {
	return func(body []byte) (any, error) {
		a, err := arg[A](body)
		if err != nil {
			return nil, err
		}
		return f(a), nil
	}
}

// workflowCalls lists the methods of the citizen and counter screens: the
// PIN recovery advisor, counter mode, consents and e-application signing.
func workflowCalls(s *uiservice.Service) map[string]call {
	return map[string]call{
		"Advise":           with(s.Advise),
		"CounterStatus":    plain(s.CounterStatus),
		"CounterReset":     with(s.CounterReset),
		"CounterIdentity":  with(s.CounterIdentity),
		"CounterBasicInfo": with(s.CounterBasicInfo),
		"CounterNext":      func([]byte) (any, error) { s.CounterNext(); return nil, nil },
		"ConsentOpen":      with(s.ConsentOpen),
		"ConsentSign":      with(s.ConsentSign),
		"ConsentInspect":   with(s.ConsentInspect),
		"ConsentWithdraw":  with(s.ConsentWithdraw),
		"Consents":         noneErr(s.Consents),
		"ApplicationOpen":  with(s.ApplicationOpen),
		"ApplicationSign":  with(s.ApplicationSign),
		"EgovOpen":         with(s.EgovOpen),
		"EgovSign":         with(s.EgovSign),
	}
}
