package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/appdir"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/verify/trust"
	"github.com/shomei-app/shomei/internal/errs"
)

// trustDir is where the anchors live: appdir.Data()/trust.
func trustDir() (string, error) {
	d, err := appdir.Data()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "trust"), nil
}

func openTrust(e *Env) (*trust.Store, error) {
	dir, err := trustDir()
	if err != nil {
		return nil, errs.Wrap(err, errs.TrustFailed)
	}
	s, err := trust.Load(dir)
	if err != nil {
		return nil, trustError(e, err)
	}
	return s, nil
}

// trustError places a store error in the one vocabulary.
func trustError(e *Env, err error) error {
	dir, _ := trustDir()
	return trust.Failure(err, dir)
}

func trustDate(t time.Time) string { return t.UTC().Format("2006-01-02") }

type trustJLISRow struct {
	Name     string    `json:"name"`
	Purpose  string    `json:"purpose"`
	NotAfter time.Time `json:"not_after"`
	Serial   string    `json:"serial"`
	SHA256   string    `json:"sha256"`
	Pinned   bool      `json:"pinned"`
	Present  bool      `json:"present"`
	Builtin  bool      `json:"builtin"` // shipped in the binary: chains reach it with nothing imported
	Expired  bool      `json:"expired"`
}

type trustUserRow struct {
	Label     string    `json:"label"`
	Kind      string    `json:"kind"` // "USER" | "TEST"
	Test      bool      `json:"test"`
	Subject   string    `json:"subject"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	Expired   bool      `json:"expired"`
	SHA256    string    `json:"sha256"`
}

func trustList(e *Env, fs *pflag.FlagSet) func(args []string) int {
	asJSON := fs.Bool("json", false, "")
	return func(args []string) int {
		s, err := openTrust(e)
		if err != nil {
			return fail(e, err)
		}
		now := time.Now()
		present := map[string]bool{}
		users := []trustUserRow{}
		for _, a := range s.Anchors() {
			if a.Source == trust.SourceJLIS {
				present[a.SHA256] = true
				continue
			}
			kind := "USER"
			if a.Test {
				kind = "TEST"
			}
			users = append(users, trustUserRow{Label: a.Name, Kind: kind, Test: a.Test, Subject: a.Cert.Subject.String(), NotBefore: a.Cert.NotBefore, NotAfter: a.Cert.NotAfter, Expired: now.After(a.Cert.NotAfter), SHA256: a.SHA256})
		}
		builtin := map[string]bool{}
		for _, a := range trust.Builtin() {
			builtin[a.SHA256] = true
		}
		var jlis []trustJLISRow
		for _, p := range trust.Pins() {
			jlis = append(jlis, trustJLISRow{Name: p.Name, Purpose: p.Purpose, NotAfter: p.NotAfter, Serial: p.Serial, SHA256: p.SHA256, Pinned: p.SHA256 != "", Present: p.SHA256 != "" && present[p.SHA256], Builtin: p.SHA256 != "" && builtin[p.SHA256], Expired: now.After(p.NotAfter)})
		}
		if *asJSON {
			writeJSON(e.Stdout, map[string]any{"jlis": jlis, "user": users})
			return exitOK
		}
		L := e.Lang
		fmt.Fprintln(e.Stdout, i18n.T(L, "trust.list.jlis"))
		missing := false
		for _, r := range jlis {
			fmt.Fprintf(e.Stdout, "  %-9s %s\n", r.Name, i18n.T(L, "trust.list.root", i18n.T(L, "trust.purpose."+r.Purpose), trustDate(r.NotAfter)))
			var state []string
			switch {
			case !r.Pinned:
				state = append(state, i18n.T(L, "trust.list.unpinned"))
			case r.Present:
				state = append(state, i18n.T(L, "trust.list.present"))
			case r.Builtin:
				state = append(state, i18n.T(L, "trust.list.builtin"))
			default:
				state = append(state, i18n.T(L, "trust.list.absent"))
				missing = true
			}
			if r.Expired && r.Pinned {
				state = append(state, i18n.T(L, "trust.list.expired"))
			}
			fmt.Fprintf(e.Stdout, "            %s\n", strings.Join(state, " / "))
			if r.Pinned {
				fmt.Fprintf(e.Stdout, "            SHA-256 %s\n", r.SHA256)
			}
		}
		if missing {
			fmt.Fprintln(e.Stdout, "  "+i18n.T(L, "trust.list.hint"))
		}
		fmt.Fprintln(e.Stdout)
		fmt.Fprintln(e.Stdout, i18n.T(L, "trust.list.user"))
		if len(users) == 0 {
			fmt.Fprintln(e.Stdout, i18n.T(L, "trust.list.none"))
		}
		for _, u := range users {
			until := i18n.T(L, "trust.list.until", trustDate(u.NotAfter))
			if u.Expired {
				until += " / " + i18n.T(L, "trust.list.expired")
			}
			fmt.Fprintf(e.Stdout, "  [%s] %s\n            %s\n            %s\n            SHA-256 %s\n", u.Kind, u.Label, u.Subject, until, u.SHA256)
		}
		return exitOK
	}
}

// trustReadFileArg reads the certificates of the one FILE argument.
func trustReadFileArg(e *Env, pos []string) ([]*trustCertFile, int) {
	cs, err := trust.ReadCerts(pos[0])
	if err != nil {
		return nil, fail(e, errs.Wrap(err, errs.NotCertificate, pos[0]))
	}
	out := make([]*trustCertFile, len(cs))
	for i, c := range cs {
		out[i] = &trustCertFile{der: c.Raw, test: trust.IsTestRoot(c)}
	}
	return out, exitOK
}

// trustFileAndStore reads the certificates of the file argument, then
// opens the trust store; the store is nil when either failed, with the exit
// code (the failure already printed).
func trustFileAndStore(e *Env, pos []string) ([]*trustCertFile, *trust.Store, int) {
	certs, code := trustReadFileArg(e, pos)
	if certs == nil {
		return nil, nil, code
	}
	s, err := openTrust(e)
	if err != nil {
		return nil, nil, fail(e, err)
	}
	return certs, s, exitOK
}

type trustCertFile struct {
	der  []byte
	test bool
}

func trustPurposeOf(name string) string {
	for _, p := range trust.Pins() {
		if p.Name == name {
			return p.Purpose
		}
	}
	return "sign"
}

func trustImport(e *Env, fs *pflag.FlagSet) func(args []string) int {

	return func(args []string) int {
		pos := args
		certs, s, code := trustFileAndStore(e, pos)
		if s == nil {
			return code
		}
		for _, c := range certs {
			a, err := s.AddJLIS(c.der)
			var np *trust.NotPinnedError
			switch {
			case errors.As(err, &np):
				fmt.Fprintf(e.Stderr, "shomei: %s\n", i18n.T(e.Lang, "trust.import.refused", np.SHA256))
				code = exitError
			case err != nil:
				return fail(e, trustError(e, err))
			default:
				fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "trust.import.ok", a.Name, i18n.T(e.Lang, "trust.purpose."+trustPurposeOf(a.Name))))
			}
		}
		return code
	}
}

func trustAdd(e *Env, fs *pflag.FlagSet) func(args []string) int {
	label := fs.String("label", "", "")
	return func(args []string) int {
		pos := args
		if strings.TrimSpace(*label) == "" {
			return usage(e, "trust.add.label")
		}
		certs, s, code := trustFileAndStore(e, pos)
		if s == nil {
			return code
		}
		for i, c := range certs {
			l := *label
			if len(certs) > 1 {
				l = fmt.Sprintf("%s (%d)", *label, i+1)
			}
			a, err := s.AddUser(c.der, l)
			if err != nil {
				return fail(e, trustError(e, err))
			}
			if a.Source == trust.SourceJLIS {
				fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "trust.add.is_jlis", a.Name))
				continue
			}
			fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "trust.add.ok", a.Name, a.SHA256))
			fmt.Fprintln(e.Stderr, i18n.T(e.Lang, "trust.add.warn"))
			if a.Test {
				fmt.Fprintln(e.Stderr, i18n.T(e.Lang, "trust.add.test"))
			}
		}
		return exitOK
	}
}

func trustRemove(e *Env, fs *pflag.FlagSet) func(args []string) int {

	return func(args []string) int {
		pos := args
		s, err := openTrust(e)
		if err != nil {
			return fail(e, err)
		}
		var name string
		for _, a := range s.Anchors() {
			if strings.EqualFold(strings.ReplaceAll(pos[0], ":", ""), a.SHA256) {
				name = a.Name
			}
		}
		if err := s.Remove(pos[0]); err != nil {
			return fail(e, trustError(e, err))
		}
		fmt.Fprintln(e.Stdout, i18n.T(e.Lang, "trust.remove.ok", name))
		return exitOK
	}
}

func trustFetch(e *Env, fs *pflag.FlagSet) func(args []string) int {
	urls := fs.StringArray("url", nil, "")
	return func(args []string) int {
		s, err := openTrust(e)
		if err != nil {
			return fail(e, err)
		}
		L := e.Lang
		fmt.Fprintln(e.Stderr, i18n.T(L, "trust.fetch.start"))
		list := *urls
		if len(list) == 0 {
			list = trust.DefaultURLs()
		}
		found, ferr := trust.Fetch(e.Ctx, nil, list)
		added := 0
		for _, a := range found {
			if _, err := s.AddJLIS(a.Cert.Raw); err != nil {
				return fail(e, trustError(e, err))
			}
			added++
			fmt.Fprintln(e.Stdout, i18n.T(L, "trust.fetch.ok", a.Name, i18n.T(L, "trust.purpose."+trustPurposeOf(a.Name))))
		}
		if ferr != nil {
			var each []error
			if j, ok := ferr.(interface{ Unwrap() []error }); ok {
				each = j.Unwrap()
			} else {
				each = []error{ferr}
			}
			for _, err := range each {
				var fe *trust.FetchError
				if errors.As(err, &fe) {
					fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "trust.fetch.failed", fe.URL, i18n.T(L, "trust.fetch."+fe.Code)))
				}
			}
		}
		fmt.Fprintln(e.Stdout, i18n.T(L, "trust.fetch.summary", len(list), added))
		if ferr != nil {
			if os.Getenv("SHOMEI_DEBUG") == "1" {
				fmt.Fprintf(e.Stderr, "shomei: debug: %v\n", ferr)
			}
			return exitError
		}
		return exitOK
	}
}

func trustFromCard(e *Env, fs *pflag.FlagSet) func(args []string) int {
	reader := fs.String("reader", "", "")
	return func(args []string) int {
		cc, err := e.Cards.CACertificates(*reader)
		if err != nil {
			return fail(e, err)
		}
		s, err := openTrust(e)
		if err != nil {
			return fail(e, err)
		}
		L := e.Lang
		roots, err := s.FromCard(cc.Sign, cc.Auth)
		if err != nil {
			return fail(e, trustError(e, err))
		}
		added, testSeen := 0, false
		for _, r := range roots {
			what := i18n.T(L, "trust.card."+r.Which)
			switch {
			case r.Absent:
				fmt.Fprintln(e.Stdout, i18n.T(L, "trust.card.absent", what))
			case r.Test:
				fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "trust.card.test", what))
				testSeen = true
			case r.Unknown != "":
				fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "trust.card.unknown", what, r.Unknown))
			default:
				added++
				fmt.Fprintln(e.Stdout, i18n.T(L, "trust.card.ok", what, r.Added.Name))
			}
		}
		if testSeen {
			fmt.Fprintln(e.Stderr, "shomei: "+i18n.T(L, "trust.card.testhint"))
		}
		if added == 0 {
			return fail(e, errs.New(errs.NoRoots))
		}
		return exitOK
	}
}
