package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/backend/identity"
	"github.com/shomei-app/shomei/cardio/kenmen"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/internal/atomicfile"
	"github.com/shomei-app/shomei/internal/errs"
)

// Exit codes of `card identity` and `card basic-info` when the chip was
// read: 0 confirmed by J-LIS's signature, 3 not confirmed (no key to check
// it), 4 the check failed (the forged-card case). Errors exit 1.
const (
	exitUnverifiable = 3
	exitForged       = 4
)

type identityOpts struct {
	reader                  string
	pinStdin, json, lastTry bool
	photo                   string
	withMyNumber, basicInfo bool
}

// runIdentity is `shomei card identity` (照合番号B, the counter's check) and
// `shomei card basic-info` (the 4-digit PIN): backend/flow's Identity with
// the terminal as its UI. What the chip says is printed and forgotten.
func runIdentity(e *Env, o identityOpts) int {
	L := e.Lang
	store, err := openTrust(e)
	if err != nil {
		return failAs(e, err, o.json)
	}
	ring := identity.Keyring(store)
	if !o.basicInfo {
		if o.photo != "" {
			identity.WarmPhoto()
		}
		fmt.Fprintln(e.Stderr, i18n.T(L, "identity.prompt.code_b"))
	}
	ui := &termUI{e: e, confirmLast: o.lastTry, fromStdin: o.pinStdin}
	res, err := e.flows().Identity(e.Ctx, ui, o.reader, o.basicInfo, o.withMyNumber, ring)
	if err != nil {
		if o.json {
			return failAs(e, err, true)
		}
		msg := i18n.IdentityError(L, err) // 照合番号B named as such
		if o.basicInfo {
			msg = i18n.Error(L, err) // the 4-digit PIN: the PIN's own sentences
		}
		fmt.Fprintf(e.Stderr, "shomei: %s\n", msg)
		return exitError
	}
	defer res.Wipe()
	out := exitOK
	switch res.Authenticity {
	case kenmen.Failed:
		out = exitForged
	case kenmen.Unverifiable:
		out = exitUnverifiable
	}
	if o.photo != "" && !o.basicInfo {
		png, err := identity.PhotoPNG(e.Ctx, res.Photo)
		if err == nil {
			err = atomicfile.Write(o.photo, png, 0o600)
		}
		if err != nil {
			fmt.Fprintln(e.Stderr, "shomei:", i18n.T(L, "identity.photo.unusable"))
			out = exitError
		} else {
			fmt.Fprintln(e.Stderr, i18n.T(L, "identity.photo.saved", o.photo))
		}
	}
	if o.json {
		writeJSON(e.Stdout, res)
	} else {
		printIdentity(e, res, o)
	}
	return out
}

func printIdentity(e *Env, r *identity.Result, o identityOpts) {
	L := e.Lang
	w := e.Stdout
	mark := "✔"
	if !r.Authentic {
		mark = "✘"
	}
	fmt.Fprintf(w, "%s %s\n", mark, i18n.Authenticity(L, string(r.Authenticity), r.TestCard))
	line := func(key, v string) { fmt.Fprintf(w, "  %-10s %s\n", i18n.T(L, "identity."+key)+":", v) }
	line("name", r.Name)
	line("address", r.Address)
	line("birth_date", r.BirthDate)
	line("sex", i18n.T(L, "identity.sex."+r.Sex))
	if r.Expiry != "" {
		line("expiry", r.Expiry)
	}
	if o.basicInfo {
		if o.withMyNumber {
			line("mynumber", r.MyNumber[:4]+" "+r.MyNumber[4:8]+" "+r.MyNumber[8:])
		} else {
			line("mynumber", strings.Repeat("●", 12)+" "+i18n.T(L, "identity.mynumber.masked"))
		}
	} else {
		fmt.Fprintln(w, i18n.T(L, "identity.compare"))
		fmt.Fprintln(w, i18n.T(L, "identity.expiry_unsigned"))
	}
}

// runVCardInfo is `shomei vcard info`: the test identity and its PINs in
// clear (a test card keeps no secret worth hiding), 照合番号B as pin_b.
func runVCardInfo(e *Env, state, config string, asJSON bool) int {
	st, err := vcard.LoadState(state)
	if err != nil {
		return failAs(e, errs.Wrap(err, errs.VCardState, state), asJSON)
	}
	cfg, err := loadConfig(config)
	if err != nil {
		return failAs(e, err, asJSON)
	}
	in := st.Info(cfg)
	if asJSON {
		writeJSON(e.Stdout, in)
		return exitOK
	}
	L := e.Lang
	line := func(label, v string) { fmt.Fprintf(e.Stdout, "%s: %s\n", label, v) }
	line(i18n.T(L, "vcard.info.label"), in.Label)
	if id := in.Identity; id != nil {
		line(i18n.T(L, "identity.name"), id.Name)
		line(i18n.T(L, "identity.address"), id.Address)
		line(i18n.T(L, "identity.birth_date"), id.BirthDate)
		line(i18n.T(L, "identity.sex"), id.Sex)
		line(i18n.T(L, "identity.expiry"), id.Expiry)
		line(i18n.T(L, "vcard.info.security_code"), id.SecurityCode)
		line(i18n.T(L, "vcard.info.pin_a"), in.PinA)
		line(i18n.T(L, "vcard.info.pin_b"), in.PinB)
	}
	for _, k := range []string{"sign", "auth", "text", "juki"} {
		if v, ok := in.PINs[k]; ok {
			line(i18n.T(L, "pin."+k), v)
		}
	}
	return exitOK
}

func identityFlags(fs *pflag.FlagSet, o *identityOpts) {
	fs.StringVar(&o.reader, "reader", "", "")
	fs.BoolVar(&o.pinStdin, "pin-stdin", false, "")
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.lastTry, "confirm-last-try", false, "")
}

func cmdCardIdentity(e *Env, fs *pflag.FlagSet) func(args []string) int {
	var o identityOpts
	identityFlags(fs, &o)
	fs.StringVar(&o.photo, "photo", "", "")
	return func([]string) int { return runIdentity(e, o) }
}

func cmdCardBasicInfo(e *Env, fs *pflag.FlagSet) func(args []string) int {
	o := identityOpts{basicInfo: true}
	identityFlags(fs, &o)
	fs.BoolVar(&o.withMyNumber, "with-mynumber", false, "")
	return func([]string) int { return runIdentity(e, o) }
}
