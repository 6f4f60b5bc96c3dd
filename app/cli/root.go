package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
	"golang.org/x/text/width"

	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/internal/errs"
)

// leafFunc declares a command's options on fs and returns what runs with
// the positional arguments; the int is the exit code.
type leafFunc func(e *Env, fs *pflag.FlagSet) func(args []string) int

// leaf builds a command that runs.
func leaf(e *Env, use string, args nargs, build leafFunc) *cobra.Command {
	c := &cobra.Command{Use: use, Args: args.check(e.Lang)}
	run := build(e, c.Flags())
	c.RunE = func(c *cobra.Command, a []string) error {
		e.cmd = c
		return exitWith(run(a))
	}
	return c
}

// group builds a command that only holds subcommands: run alone or with an
// unknown subcommand, it is a usage error.
func group(e *Env, name string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: name, Args: cobra.ArbitraryArgs, Annotations: map[string]string{"group": "1"}}
	c.AddCommand(subs...)
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageErr(c, i18n.T(e.Lang, "cli.usage.unknown", args[0]))
		}
		var names []string
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() {
				names = append(names, s.Name())
			}
		}
		return usageErr(c, i18n.T(e.Lang, "cli.usage.subcommand", strings.Join(names, ", ")))
	}
	return c
}

func newRoot(e *Env) *cobra.Command {
	L := e.Lang
	root := &cobra.Command{
		Use:           "shomei",
		Version:       Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErr(c, i18n.T(L, "cli.usage.unknown", args[0]))
			}
			c.SetOut(e.Stderr)
			c.Help()
			return exitCode(exitUsage)
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetVersionTemplate("shomei {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return flagErr(L, c, err) })
	root.AddCommand(
		leaf(e, "readers", none, cmdReaders),
		group(e, "card",
			leaf(e, "status", none, cmdCardStatus),
			leaf(e, "identity", none, cmdCardIdentity),
			leaf(e, "basic-info", none, cmdCardBasicInfo)),
		group(e, "pin",
			leaf(e, "change sign|auth|text", one, cmdPINChange),
			leaf(e, "advise", none, cmdPINAdvise)),
		leaf(e, "sign FILE...", any_, cmdSign),
		vcardCmd(e),
		leaf(e, "verify FILE...", oneMore, cmdVerify),
		group(e, "trust",
			leaf(e, "list", none, trustList),
			leaf(e, "import FILE", one, trustImport),
			leaf(e, "add FILE", one, trustAdd),
			leaf(e, "remove SHA256", one, trustRemove),
			leaf(e, "fetch", none, trustFetch),
			leaf(e, "from-card", none, trustFromCard)),
		leaf(e, "serve", none, cmdServe),
		group(e, "consent",
			leaf(e, "show FILE", one, consentShow),
			leaf(e, "sign FILE", one, consentSign),
			leaf(e, "withdraw SIGNED_FILE", one, consentWithdraw),
			leaf(e, "list", none, consentList)),
		group(e, "counter",
			leaf(e, "status", none, counterStatus),
			leaf(e, "reset sign|auth|text|juki", one, counterReset),
			leaf(e, "watch", none, counterWatch)),
		historyCmd(e),
		&cobra.Command{Use: "version", Args: none.check(L), Run: func(c *cobra.Command, _ []string) {
			fmt.Fprintln(e.Stdout, "shomei", Version)
		}},
		completionCmd(e),
		manCmd(e),
	)
	localize(root, L)
	return root
}

// vcardCmd: `shomei vcard` runs the virtual card, as `vcard run` does.
func vcardCmd(e *Env) *cobra.Command {
	c := leaf(e, "vcard", none, cmdVCardRun)
	c.AddCommand(
		leaf(e, "run", none, cmdVCardRun),
		leaf(e, "init", none, cmdVCardInit),
		leaf(e, "export-root", none, cmdVCardExportRoot),
		leaf(e, "info", none, cmdVCardInfo))
	return c
}

// historyCmd: `shomei history` lists, as `history list` does.
func historyCmd(e *Env) *cobra.Command {
	c := leaf(e, "history", none, historyList)
	c.AddCommand(
		leaf(e, "list", none, historyList),
		leaf(e, "export", none, historyExport),
		leaf(e, "verify", none, historyVerify),
		leaf(e, "purge", none, historyPurge))
	return c
}

func completionCmd(e *Env) *cobra.Command {
	return &cobra.Command{
		Use:       "completion bash|zsh|fish|powershell",
		Args:      one.check(e.Lang),
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		RunE: func(c *cobra.Command, args []string) error {
			if err := choice(e.Lang, c, args[0], c.ValidArgs...); err != nil {
				return err
			}
			root := c.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(e.Stdout, true)
			case "zsh":
				return root.GenZshCompletion(e.Stdout)
			case "fish":
				return root.GenFishCompletion(e.Stdout, true)
			}
			return root.GenPowerShellCompletionWithDesc(e.Stdout)
		},
	}
}

// manCmd writes one section-1 page per command into DIR (for packagers).
func manCmd(e *Env) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Hidden: true,
		Args:   one.check(e.Lang),
		RunE: func(c *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return exitWith(fail(e, err))
			}
			root := c.Root()
			root.DisableAutoGenTag = true
			hdr := &doc.GenManHeader{Title: "SHOMEI", Section: "1", Source: "Shomei " + Version, Manual: "Shomei"}
			if err := doc.GenManTree(root, hdr, args[0]); err != nil {
				return exitWith(fail(e, err))
			}
			return nil
		},
	}
}

// localize puts every command's summary and option texts in the user's
// language (backend/i18n, "cli.*"), and the help layout's headings.
func localize(root *cobra.Command, L i18n.Lang) {
	root.InitDefaultHelpCmd()
	root.InitDefaultVersionFlag()
	root.SetUsageFunc(func(c *cobra.Command) error { return printUsage(L, c) })
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.ReplaceAll(strings.TrimPrefix(c.CommandPath(), "shomei"), " ", ".")
		c.Short = i18n.T(L, "cli"+path+".short")
		if k := "cli" + path + ".long"; i18n.Has(k) {
			c.Long = c.Short + "\n\n" + i18n.T(L, k)
		}
		c.InitDefaultHelpFlag()
		c.DisableFlagsInUseLine = true
		c.Flags().VisitAll(func(f *pflag.Flag) {
			key := "cli.flag" + path + "." + f.Name
			if !i18n.Has(key) {
				key = "cli.flag." + f.Name
			}
			f.Usage = i18n.T(L, key)
		})
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}

// printUsage writes a command's usage in the user's language: the use
// line, the subcommands, the options with a translated value placeholder
// and default.
func printUsage(L i18n.Lang, c *cobra.Command) error {
	h := func(k string) string { return i18n.T(L, "cli.help."+k) }
	var b strings.Builder
	b.WriteString(h("usage") + "\n")
	if c.Runnable() && c.Annotations["group"] == "" {
		line := c.UseLine()
		if c.HasAvailableFlags() {
			line += " " + h("options")
		}
		b.WriteString("  " + line + "\n")
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("  " + c.CommandPath() + " " + h("command") + "\n\n" + h("commands") + "\n")
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() || s.Name() == "help" {
				fmt.Fprintf(&b, "  %-*s %s\n", s.NamePadding(), s.Name(), s.Short)
			}
		}
	}
	if c.HasAvailableLocalFlags() {
		b.WriteString("\n" + h("flags") + "\n" + flagLines(L, c.LocalFlags()))
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\n" + h("global") + "\n" + flagLines(L, c.InheritedFlags()))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n" + i18n.T(L, "cli.help.more", c.CommandPath()+" "+h("command")+" --help") + "\n")
	}
	_, err := io.WriteString(c.OutOrStderr(), b.String())
	return err
}

// flagLines lists options: "-h, --help", "--out 値", then the text and a
// default that is not the zero value.
func flagLines(L i18n.Lang, fs *pflag.FlagSet) string {
	type row struct{ left, text string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "    --" + f.Name
		if f.Shorthand != "" {
			left = "-" + f.Shorthand + ", --" + f.Name
		}
		if f.Value.Type() != "bool" {
			left += " " + i18n.T(L, "cli.help.value")
		}
		text := f.Usage
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			text += i18n.T(L, "cli.help.default", f.DefValue)
		}
		rows = append(rows, row{left, text})
		width = max(width, displayWidth(left))
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  %s%s   %s\n", r.left, strings.Repeat(" ", width-displayWidth(r.left)), r.text)
	}
	return b.String()
}

// displayWidth counts a wide (CJK) character as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// usageError is a command line that is not valid: exit 2, the message in
// the user's language.
type usageError struct {
	cmd *cobra.Command
	msg string
}

func (u *usageError) Error() string { return u.msg }

func usageErr(c *cobra.Command, msg string) error { return &usageError{cmd: c, msg: msg} }

// usage reports a usage error found by a running command (a value out of
// its choices, options that do not go together) and returns exit code 2.
func usage(e *Env, key string, args ...any) int {
	msg := i18n.T(e.Lang, key, args...)
	path := "shomei"
	if e.cmd != nil {
		path = e.cmd.CommandPath()
		if f := e.cmd.Flags().Lookup("json"); f != nil && f.Value.String() == "true" {
			writeJSON(e.Stdout, map[string]any{"error": i18n.Failure{Code: string(errs.Usage), Message: msg}})
		}
	}
	fmt.Fprintf(e.Stderr, "shomei: %s\n", i18n.T(e.Lang, "err.usage", msg, path))
	return exitUsage
}

// flagErr says what pflag found wrong, in the user's language.
func flagErr(L i18n.Lang, c *cobra.Command, err error) error {
	var ne *pflag.NotExistError
	var vr *pflag.ValueRequiredError
	var iv *pflag.InvalidValueError
	var is *pflag.InvalidSyntaxError
	switch {
	case errors.As(err, &ne):
		name := ne.GetSpecifiedName()
		if name == "" {
			name = ne.GetSpecifiedShortnames()
			return usageErr(c, i18n.T(L, "cli.usage.flag", "-"+name))
		}
		return usageErr(c, i18n.T(L, "cli.usage.flag", "--"+name))
	case errors.As(err, &vr):
		return usageErr(c, i18n.T(L, "cli.usage.value", "--"+vr.GetFlag().Name))
	case errors.As(err, &iv):
		return usageErr(c, i18n.T(L, "cli.usage.invalid", "--"+iv.GetFlag().Name, iv.GetValue()))
	case errors.As(err, &is):
		return usageErr(c, i18n.T(L, "cli.usage.flag", is.GetSpecifiedFlag()))
	}
	return usageErr(c, i18n.T(L, "cli.usage.flag", ""))
}

// nargs is how many positional arguments a command takes (max -1: any).
type nargs struct{ min, max int }

var (
	none    = nargs{0, 0}
	one     = nargs{1, 1}
	oneMore = nargs{1, -1}
	any_    = nargs{0, -1}
)

// check says, in the user's language, what is wrong with args.
func (n nargs) check(L i18n.Lang) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) >= n.min && (n.max < 0 || len(args) <= n.max) {
			return nil
		}
		if n.max == 0 && c.HasSubCommands() {
			return usageErr(c, i18n.T(L, "cli.usage.unknown", args[0]))
		}
		var want string
		switch {
		case n.max == 0:
			want = i18n.T(L, "cli.usage.args.none")
		case n.min == n.max:
			want = i18n.T(L, "cli.usage.args.exact", n.min)
		case n.max < 0:
			want = i18n.T(L, "cli.usage.args.min", n.min)
		default:
			want = i18n.T(L, "cli.usage.args.range", n.min, n.max)
		}
		return usageErr(c, i18n.T(L, "cli.usage.args", len(args), want))
	}
}

// choice is a usage error unless v is one of the choices.
func choice(L i18n.Lang, c *cobra.Command, v string, choices ...string) error {
	for _, ch := range choices {
		if v == ch {
			return nil
		}
	}
	return usageErr(c, i18n.T(L, "cli.usage.choice", v, strings.Join(choices, ", ")))
}
