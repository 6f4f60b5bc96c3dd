package integration

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"debug/pe"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// dist returns the folder make dist filled (SHOMEI_DIST_DIR, which make
// test sets after building it) and the version those files must carry: the
// one scripts/version.sh gave when they were built (dist/VERSION).
func dist(t *testing.T) (dir, version string) {
	t.Helper()
	need(t)
	dir = os.Getenv("SHOMEI_DIST_DIR")
	if dir == "" {
		t.Skip("SHOMEI_DIST_DIR is not set: make test builds the packages (make dist) and sets it")
	}
	version = strings.TrimSpace(readFile(t, filepath.Join(dir, "VERSION")))
	if !regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+-g[0-9a-f]{7,})?(-dirty)?$`).MatchString(version) {
		t.Fatalf("dist/VERSION: %q is not a version from git describe", version)
	}
	return dir, version
}

func one(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(pattern)
	if len(m) != 1 {
		t.Fatalf("%s: want one file, found %q", pattern, m)
	}
	return m[0]
}

func cmdOut(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// The Debian package: what dpkg-deb says of it, what it installs, the
// installed program's version and a card status through pcscd with the
// virtual card, and lintian without errors or warnings.
func TestDebianPackage(t *testing.T) {
	dir, version := dist(t)
	debVersion := strings.ReplaceAll(version, "-", "+")
	deb := filepath.Join(dir, "shomei_"+debVersion+"_amd64.deb")
	if _, err := os.Stat(deb); err != nil {
		t.Fatalf("the package for version %s: %v", version, err)
	}

	fields := map[string]string{}
	for _, f := range []string{"Package", "Version", "Architecture", "Depends", "Recommends", "Maintainer", "Description"} {
		fields[f] = strings.TrimSpace(cmdOut(t, "dpkg-deb", "--field", deb, f))
	}
	if fields["Package"] != "shomei" || fields["Version"] != debVersion || fields["Architecture"] != "amd64" {
		t.Errorf("control: %q", fields)
	}
	deps := map[string]bool{}
	for _, d := range strings.Split(fields["Depends"], ",") {
		deps[strings.Fields(d)[0]] = true
	}
	for _, want := range []string{"pcscd", "libwebkit2gtk-4.1-0", "libgtk-3-0", "libpcsclite1", "libc6"} {
		if !deps[want] {
			t.Errorf("Depends lacks %s: %s", want, fields["Depends"])
		}
	}
	if fields["Recommends"] != "fonts-noto-cjk" {
		t.Errorf("Recommends: %q", fields["Recommends"])
	}
	if !strings.Contains(cmdOut(t, "dpkg-deb", "--info", deb), "Description: sign and verify") {
		t.Error("dpkg-deb --info shows no description")
	}

	// --contents: every file in its standard place, owned by root.
	contents := map[string]string{} // path -> mode
	sc := bufio.NewScanner(strings.NewReader(cmdOut(t, "dpkg-deb", "--contents", deb)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 {
			continue
		}
		if f[1] != "root/root" {
			t.Errorf("not owned by root: %s", sc.Text())
		}
		contents[strings.TrimPrefix(f[5], ".")] = f[0]
	}
	want := []string{
		"/usr/bin/shomei",
		"/usr/share/applications/shomei.desktop",
		"/usr/share/man/man1/shomei.1.gz",
		"/usr/share/man/ja/man1/shomei-sign.1.gz",
		"/usr/share/bash-completion/completions/shomei",
		"/usr/share/zsh/vendor-completions/_shomei",
		"/usr/share/fish/vendor_completions.d/shomei.fish",
		"/usr/share/doc/shomei/copyright",
		"/usr/share/doc/shomei/changelog.gz",
	}
	sizes := []int{16, 24, 32, 48, 64, 128, 256, 512}
	for _, s := range sizes {
		want = append(want, iconPath(s))
	}
	for _, p := range want {
		if _, ok := contents[p]; !ok {
			t.Errorf("--contents lacks %s", p)
		}
	}
	if m := contents["/usr/bin/shomei"]; m != "-rwxr-xr-x" {
		t.Errorf("/usr/bin/shomei mode %q", m)
	}

	// Installed into a throwaway root.
	root := t.TempDir()
	cmdOut(t, "dpkg", "-x", deb, root)
	desktop := readFile(t, filepath.Join(root, "usr/share/applications/shomei.desktop"))
	for _, line := range []string{"Type=Application", "Name=Shomei", "Name[ja]=署名 Shomei", "Exec=shomei", "Icon=shomei", "Terminal=false"} {
		if !strings.Contains("\n"+desktop+"\n", "\n"+line+"\n") {
			t.Errorf("shomei.desktop lacks %q", line)
		}
	}
	for _, s := range sizes {
		f, err := os.Open(filepath.Join(root, iconPath(s)))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != s || cfg.Height != s {
			t.Errorf("icon %d: %dx%d %v", s, cfg.Width, cfg.Height, err)
		}
	}
	man := gunzip(t, filepath.Join(root, "usr/share/man/man1/shomei.1.gz"))
	if !strings.HasPrefix(man, ".TH") && !strings.Contains(man, "\n.TH") {
		t.Errorf("shomei.1 is no man page: %.80q", man)
	}
	// English in man1, Japanese in ja/man1, whatever the builder's locale.
	en := gunzip(t, filepath.Join(root, "usr/share/man/man1/shomei-sign.1.gz"))
	ja := gunzip(t, filepath.Join(root, "usr/share/man/ja/man1/shomei-sign.1.gz"))
	if !strings.Contains(en, "\n.SH NAME\nshomei-sign - ") || strings.Contains(en, "ファイルに署名") {
		t.Errorf("shomei-sign.1 is not in English: %.300q", en)
	}
	if !strings.Contains(ja, "\n.SH NAME\nshomei-sign - ファイルに署名") {
		t.Errorf("ja/man1/shomei-sign.1 is not in Japanese: %.300q", ja)
	}
	for p, sig := range map[string]string{
		"usr/share/bash-completion/completions/shomei":    "complete",
		"usr/share/zsh/vendor-completions/_shomei":        "#compdef shomei",
		"usr/share/fish/vendor_completions.d/shomei.fish": "complete -c shomei",
	} {
		if !strings.Contains(readFile(t, filepath.Join(root, p)), sig) {
			t.Errorf("%s: no %q", p, sig)
		}
	}
	if c := readFile(t, filepath.Join(root, "usr/share/doc/shomei/copyright")); !strings.HasPrefix(c, "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/") || !strings.Contains(c, "Files: github.com/wailsapp/wails/v2/*") {
		t.Errorf("copyright: %.200q", c)
	}
	if cl := gunzip(t, filepath.Join(root, "usr/share/doc/shomei/changelog.gz")); !strings.HasPrefix(cl, "shomei ("+debVersion+") ") {
		t.Errorf("changelog: %.80q", cl)
	}

	bin := filepath.Join(root, "usr/bin/shomei")
	if out := cmdOut(t, bin, "--version"); !strings.Contains(out, version) {
		t.Errorf("installed shomei --version: %q, want %s", out, version)
	}
	// The installed program reads the virtual card through pcscd.
	startVCard(t, filepath.Join(t.TempDir(), "card"))
	cmd := exec.Command(bin, "card", "status", "--reader", readerCLI, "--json")
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("installed shomei card status: %v\n%s", err, out)
	}
	var st struct {
		Pins     map[string]pinJSON `json:"pins"`
		TestCard bool               `json:"test_card"`
	}
	if err := json.Unmarshal(out, &st); err != nil || !st.TestCard || st.Pins["sign"].MaxTries == 0 {
		t.Errorf("installed shomei card status: %v %s", err, out)
	}

	// lintian: no error and no warning (each accepted one would be an
	// override with its reason, shipped in the package).
	lint := exec.Command("lintian", "--fail-on", "error,warning", deb)
	lo, err := lint.CombinedOutput()
	if err != nil {
		t.Errorf("lintian: %v\n%s", err, lo)
	}
	for _, l := range strings.Split(string(lo), "\n") {
		if strings.HasPrefix(l, "E: ") || strings.HasPrefix(l, "W: ") {
			t.Errorf("lintian: %s", l)
		}
	}
}

func iconPath(size int) string {
	s := strconv.Itoa(size)
	return "/usr/share/icons/hicolor/" + s + "x" + s + "/apps/shomei.png"
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func gunzip(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return string(b)
}

// The Windows files: the desktop app is a GUI-subsystem program (no console
// window), the command line a console one, both for x86-64 and stamped with
// the version (the desktop app also in its version resource); the installer
// is an NSIS installer carrying both programs, its uninstaller and the
// WebView2 bootstrapper.
func TestWindowsBuilds(t *testing.T) {
	dir, version := dist(t)
	base := filepath.Join(dir, "shomei-"+version+"-windows-amd64")
	for _, tc := range []struct {
		file      string
		subsystem uint16
		machine   uint16
		marks     [][]byte
	}{
		{base + ".exe", pe.IMAGE_SUBSYSTEM_WINDOWS_GUI, pe.IMAGE_FILE_MACHINE_AMD64, [][]byte{[]byte(version), utf16le(version)}},
		{base + "-cli.exe", pe.IMAGE_SUBSYSTEM_WINDOWS_CUI, pe.IMAGE_FILE_MACHINE_AMD64, [][]byte{[]byte(version)}},
		{base + "-setup.exe", pe.IMAGE_SUBSYSTEM_WINDOWS_GUI, pe.IMAGE_FILE_MACHINE_I386, [][]byte{[]byte("NullsoftInst")}},
	} {
		f, err := pe.Open(tc.file)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		var sub uint16
		switch h := f.OptionalHeader.(type) {
		case *pe.OptionalHeader64:
			sub = h.Subsystem
		case *pe.OptionalHeader32:
			sub = h.Subsystem
		}
		if sub != tc.subsystem || f.FileHeader.Machine != tc.machine {
			t.Errorf("%s: subsystem %d machine %#x, want %d %#x", filepath.Base(tc.file), sub, f.FileHeader.Machine, tc.subsystem, tc.machine)
		}
		f.Close()
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tc.marks {
			if !bytes.Contains(b, m) {
				t.Errorf("%s: no %q inside", filepath.Base(tc.file), m)
			}
		}
	}

	// What the installer carries, read with 7-Zip (which opens NSIS
	// installers): the two programs byte for byte, the uninstaller and
	// Microsoft's WebView2 bootstrapper.
	setup := base + "-setup.exe"
	list := cmdOut(t, "7z", "l", "-ba", setup)
	for _, name := range []string{"Shomei.exe", "shomei-cli.exe", "uninstall.exe", "MicrosoftEdgeWebview2Setup.exe"} {
		if !strings.Contains(list, name) {
			t.Errorf("the installer lacks %s:\n%s", name, list)
		}
	}
	out := t.TempDir()
	cmdOut(t, "7z", "x", "-o"+out, setup, "Shomei.exe", "shomei-cli.exe")
	for inside, built := range map[string]string{"Shomei.exe": base + ".exe", "shomei-cli.exe": base + "-cli.exe"} {
		a, err1 := os.ReadFile(filepath.Join(out, inside))
		b, err2 := os.ReadFile(built)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("the installer's %s is not %s (%v %v)", inside, filepath.Base(built), err1, err2)
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
