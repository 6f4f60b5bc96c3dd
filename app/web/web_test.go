package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shomei-app/shomei/app/uiservice"
	"github.com/shomei-app/shomei/app/web"
	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/cardsvc/cardsvctest"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

type server struct {
	*web.Server
	events chan pcsc.Event
	log    *bytes.Buffer
}

func start(t *testing.T, opt web.Options) *server {
	t.Helper()
	opt.Assets = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Shomei</title>")}}
	logs := &bytes.Buffer{}
	opt.Log = func(f string, a ...any) { fmt.Fprintf(logs, f+"\n", a...) }
	srv, err := web.Listen(opt)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan pcsc.Event, 4)
	svc, err := uiservice.New(uiservice.Config{
		Cards: cardsvc.New(cardsvctest.Memory(vcardtest.New(t))), Platform: srv.Platform(), Files: srv.Files(), DataDir: t.TempDir(),
		Watch: func(ctx context.Context) <-chan pcsc.Event { return events },
		Log:   func(f string, a ...any) { fmt.Fprintf(logs, f+"\n", a...) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- srv.Serve(ctx, svc) }()
	t.Cleanup(func() {
		cancel()
		close(events)
		<-done
		uiservice.Close(svc)
	})
	return &server{srv, events, logs}
}

type req struct {
	method, path, body  string
	host, origin, token string
	noToken             bool
	header              map[string]string
}

// do sends r with the right Host, Origin and token unless r overrides them.
func (s *server) do(t *testing.T, r req) (int, string, http.Header) {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	hr, err := http.NewRequest(r.method, "http://"+s.Addr()+r.path, strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	hr.Host = s.Addr()
	if r.host != "" {
		hr.Host = r.host
	}
	if r.origin != "-" {
		hr.Header.Set("Origin", "http://"+s.Addr())
		if r.origin != "" {
			hr.Header.Set("Origin", r.origin)
		}
	}
	if !r.noToken {
		tok := s.Token()
		if r.token != "" {
			tok = r.token
		}
		hr.Header.Set("X-Shomei-Token", tok)
	}
	hr.Header.Set("Content-Type", "application/json")
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// The attacks of the issue, each refused, and the same request with the
// right token, Host and Origin answered.
func TestAttacksRefused(t *testing.T) {
	s := start(t, web.Options{})
	status := req{path: "/api/call/Status", body: `""`}
	if code, body, _ := s.do(t, status); code != 200 || !strings.Contains(body, `"tries_left":5`) {
		t.Fatalf("legitimate request: %d %s", code, body)
	}
	cases := []struct {
		name string
		r    req
		want int
	}{
		{"no token", req{path: "/api/call/Status", body: `""`, noToken: true}, 401},
		{"wrong token", req{path: "/api/call/Status", body: `""`, token: strings.Repeat("0", 64)}, 401},
		{"token in a prefix", req{path: "/api/call/Status", body: `""`, token: s.Token()[:32]}, 401},
		{"foreign Origin", req{path: "/api/call/Status", body: `""`, origin: "http://evil.example"}, 403},
		{"null Origin", req{path: "/api/call/Status", body: `""`, origin: "null"}, 403},
		{"other port Origin", req{path: "/api/call/Status", body: `""`, origin: "http://127.0.0.1:1"}, 403},
		{"POST without Origin", req{path: "/api/call/Status", body: `""`, origin: "-"}, 403},
		{"cross-site fetch", req{path: "/api/call/Status", body: `""`, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403},
		{"rebinding Host", req{path: "/api/call/Status", body: `""`, host: "evil.example:" + port(s.Addr())}, 403},
		{"rebinding Host, page", req{method: "GET", path: "/", host: "evil.example:" + port(s.Addr()), noToken: true, origin: "-"}, 403},
		{"localhost Host", req{path: "/api/call/Status", body: `""`, host: "localhost:" + port(s.Addr())}, 403},
		{"oversized body", req{path: "/api/call/SaveSettings", body: `{"language":"` + strings.Repeat("x", 2<<20) + `"}`}, 413},
		{"unknown method", req{path: "/api/call/Close", body: `""`}, 404},
		{"GET on a call", req{method: "GET", path: "/api/call/Status"}, 405},
		{"form post", req{path: "/api/call/Status", body: `""`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415},
		{"no token on events", req{method: "GET", path: "/api/events", noToken: true}, 401},
		{"no token on download", req{method: "GET", path: "/api/download?ref=x", noToken: true}, 401},
	}
	for _, c := range cases {
		code, body, h := s.do(t, c.r)
		if code != c.want {
			t.Errorf("%s: status %d, want %d (%s)", c.name, code, c.want, body)
		}
		if strings.Contains(body, `"tries_left"`) {
			t.Errorf("%s: answered with card data", c.name)
		}
		if h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: CORS header sent", c.name)
		}
	}
	// A CORS preflight gets no CORS answer.
	code, _, h := s.do(t, req{method: "OPTIONS", path: "/api/call/Status", origin: "http://evil.example", noToken: true,
		header: map[string]string{"Access-Control-Request-Method": "POST"}})
	if code < 400 || h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("preflight: %d %v", code, h)
	}
}

func port(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

// Only loopback addresses can be listened on.
func TestLoopbackOnly(t *testing.T) {
	for _, a := range []string{"0.0.0.0:0", ":0", "localhost:0", "192.0.2.1:0", "[::]:0"} {
		if _, err := web.Listen(web.Options{Addr: a}); err == nil {
			t.Errorf("%s accepted", a)
		}
	}
	s, err := web.Listen(web.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || !strings.Contains(s.URL(), "/?token="+s.Token()) || len(s.Token()) != 64 {
		t.Errorf("URL %s", s.URL())
	}
	s2, _ := web.Listen(web.Options{})
	if s2.Token() == s.Token() {
		t.Error("the token repeats")
	}
}

// A file goes up, is signed with the PIN in the body of that one request,
// and the signature comes down; an upload over the limit is refused and
// leaves nothing; events arrive on the stream; the PIN reaches no log.
func TestUploadSignDownload(t *testing.T) {
	work := t.TempDir()
	s := start(t, web.Options{WorkDir: work, MaxUpload: 1 << 10})

	// Event stream (token in the query: EventSource cannot set headers).
	er, _ := http.NewRequest("GET", "http://"+s.Addr()+"/api/events?token="+s.Token(), nil)
	resp, err := http.DefaultClient.Do(er)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("events: %v %v", err, resp)
	}
	defer resp.Body.Close()
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if l := <-lines; l != "event: hello" {
		t.Fatalf("first event line %q", l)
	}
	s.events <- pcsc.Event{Kind: pcsc.CardRemoved, Reader: "memory"}
	waitLine(t, lines, `data: {"kind":"card_removed","reader":"memory"}`)

	code, body, _ := s.do(t, req{path: "/api/upload?name=" + "note.txt", body: "hello world"})
	if code != 200 {
		t.Fatalf("upload: %d %s", code, body)
	}
	var up struct{ Result uiservice.FileInfo }
	json.Unmarshal([]byte(body), &up)
	if up.Result.Size != 11 || up.Result.Name != "note.txt" || strings.Contains(up.Result.Ref, work) {
		t.Fatalf("upload info %+v", up.Result)
	}
	code, _, _ = s.do(t, req{path: "/api/upload?name=big.bin", body: strings.Repeat("x", 2<<10)})
	if code != 413 {
		t.Errorf("oversized upload: %d", code)
	}
	for _, n := range []string{"../x", ".hidden", ""} {
		if code, _, _ := s.do(t, req{path: "/api/upload?name=" + n, body: "x"}); code != 400 {
			t.Errorf("upload name %q: %d", n, code)
		}
	}
	entries, _ := os.ReadDir(work)
	if len(entries) != 1 {
		t.Errorf("work folder holds %d entries, want the one upload", len(entries))
	}

	_, body, _ = s.do(t, req{path: "/api/call/Status", body: `""`})
	var st struct{ Result uiservice.CardStatus }
	json.Unmarshal([]byte(body), &st)
	sign := func(pin string) (int, string) {
		b, _ := json.Marshal(map[string]any{"reader": st.Result.Reader, "card_id": st.Result.CardID, "tries_left": 5, "job": "w1",
			"accept_disclosure": true, "files": []string{up.Result.Ref}})
		b = append(b[:len(b)-1], []byte(`,"pin":"`+pin+`"}`)...)
		code, body, _ := s.do(t, req{path: "/api/call/Sign", body: string(b)})
		return code, body
	}
	code, body = sign("WRONG1")
	if code != 400 || !strings.Contains(body, `"code":"pin_wrong"`) || !strings.Contains(body, `"tries_left":4`) {
		t.Fatalf("wrong PIN: %d %s", code, body)
	}
	_, body, _ = s.do(t, req{path: "/api/call/Status", body: `""`})
	json.Unmarshal([]byte(body), &st)
	b, _ := json.Marshal(map[string]any{"reader": st.Result.Reader, "card_id": st.Result.CardID, "tries_left": 4, "job": "w2",
		"accept_disclosure": true, "files": []string{up.Result.Ref}, "pin": "TEST1234"})
	code, body, _ = s.do(t, req{path: "/api/call/Sign", body: string(b)})
	var res struct{ Result uiservice.SignResponse }
	json.Unmarshal([]byte(body), &res)
	if code != 200 || res.Result.Signed != 1 || res.Result.Results[0].OutputName != "note.txt.p7s" {
		t.Fatalf("sign: %d %s", code, body)
	}
	waitLine(t, lines, `"job":"w2"`)
	code, sig, h := s.do(t, req{method: "GET", path: "/api/download?ref=" + res.Result.Results[0].Output, origin: "-"})
	if code != 200 || len(sig) < 1000 || !strings.Contains(h.Get("Content-Disposition"), "note.txt.p7s") {
		t.Errorf("download: %d %d bytes %v", code, len(sig), h)
	}
	for _, bad := range []string{"../../etc/passwd", filepath.Join(work, "x"), "0123456789abcdef01234567/../../x"} {
		if code, _, _ := s.do(t, req{method: "GET", path: "/api/download?ref=" + bad, origin: "-"}); code != 404 {
			t.Errorf("download %q: %d", bad, code)
		}
	}
	if strings.Contains(s.log.String(), "TEST1234") || strings.Contains(s.log.String(), "WRONG1") {
		t.Errorf("a PIN reached the log:\n%s", s.log)
	}
}

func waitLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("stream ended before %q", want)
			}
			if strings.Contains(l, want) {
				return
			}
		case <-timeout:
			t.Fatalf("no %q on the stream", want)
		}
	}
}

// The index asked for with the token (the URL the server prints) carries
// the first call's answer as JSON data, after the page's head; without the
// token, or with another, it is the page alone.
func TestIndexCarriesStart(t *testing.T) {
	s := start(t, web.Options{})
	get := func(path string) string {
		t.Helper()
		code, body, h := s.do(t, req{method: "GET", path: path, origin: "-", noToken: true})
		if code != 200 || h.Get("Cache-Control") != "no-store" {
			t.Fatalf("GET %s: %d %v", path, code, h)
		}
		return body
	}
	body := get("/?token=" + s.Token())
	elem := func(id string, v any) {
		t.Helper()
		open := `<script type="application/json" id="` + id + `">`
		i := strings.Index(body, open)
		if i < 0 {
			t.Fatalf("no %s in the index: %s", id, body)
		}
		j := i + strings.Index(body[i:], "</script>")
		if err := json.Unmarshal([]byte(body[i+len(open):j]), v); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	var f uiservice.FirstScreen
	var c uiservice.CardState
	elem(web.ShellID, &f)
	elem(web.CardID, &c)
	if !strings.HasPrefix(body, "<!doctype html><title>Shomei</title>") || c.Status == nil || len(f.Texts) == 0 || f.Settings.Language == "" {
		t.Fatalf("answer in the page: %+v %+v", f, c)
	}
	for _, p := range []string{"/", "/index.html", "/?token=" + strings.Repeat("0", 64)} {
		if b := get(p); strings.Contains(b, web.ShellID) || strings.Contains(b, web.CardID) {
			t.Errorf("GET %s carries the answer: %s", p, b)
		}
	}
}

// FirstPage (the desktop window's index) puts the same answer before the
// page's end and leaves the module script deferred.
func TestFirstPage(t *testing.T) {
	svc, err := uiservice.New(uiservice.Config{
		Cards: cardsvc.New(cardsvctest.Memory(vcardtest.New(t))), DataDir: t.TempDir(),
		Watch: cardsvctest.NoEvents,
		Log:   func(string, ...any) {},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer uiservice.Close(svc)
	page := `<html><head><script type="module" src="x.js"></script></head><body><div id="app"></div></body></html>`
	out := string(web.FirstPage([]byte(page), svc))
	shell := strings.Index(out, `<script type="application/json" id="`+web.ShellID+`">`)
	card := strings.Index(out, `<script type="application/json" id="`+web.CardID+`">{"readers":[`)
	if !strings.HasPrefix(out, `<html><head><script type="module" src="x.js"></script></head><body><div id="app"></div>`) ||
		shell < 0 || card < shell || !strings.HasSuffix(out, "</script>\n</body></html>") || !strings.Contains(out[card:], `"status":{`) {
		t.Errorf("FirstPage: %s", out)
	}
}

// Options.Phase (SHOMEI_READY_LOG) hears each request by method and path,
// never its query (the token), and the index's two parts.
func TestPhaseNamesNoToken(t *testing.T) {
	var mu sync.Mutex
	var got []string
	s := start(t, web.Options{Phase: func(what string) {
		mu.Lock()
		got = append(got, what)
		mu.Unlock()
	}})
	if code, _, _ := s.do(t, req{method: "GET", path: "/?token=" + s.Token(), origin: "-", noToken: true}); code != 200 {
		t.Fatal(code)
	}
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(got, "\n")
	if strings.Contains(all, s.Token()) || all != "GET / asked for\nindex: page and shell sent\nindex: card state sent\nGET / answered" {
		t.Errorf("phases:\n%s", all)
	}
}
