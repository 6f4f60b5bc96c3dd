package web

import "github.com/shomei-app/shomei/app/api"

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
func workflowCalls(s *api.Service) map[string]call {
	return map[string]call{
		"Advise":          with(s.Advise),
		"CounterStatus":   plain(s.CounterStatus),
		"CounterReset":    with(s.CounterReset),
		"CounterIdentity": with(s.CounterIdentity),
		"CounterNext":     func([]byte) (any, error) { s.CounterNext(); return nil, nil },
		"ConsentOpen":     with(s.ConsentOpen),
		"ConsentSign":     with(s.ConsentSign),
		"ConsentInspect":  with(s.ConsentInspect),
		"ConsentWithdraw": with(s.ConsentWithdraw),
		"Consents":        noneErr(s.Consents),
		"ApplicationOpen": with(s.ApplicationOpen),
		"ApplicationSign": with(s.ApplicationSign),
	}
}
