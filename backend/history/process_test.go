package history_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/history"
)

// The test binary doubles as a helper process: HISTORY_HELPER=hold opens
// the store and keeps it until stdin closes; HISTORY_HELPER=write appends
// (and now and then purges) in a loop, printing each committed head.
func TestMain(m *testing.M) {
	switch os.Getenv("HISTORY_HELPER") {
	case "hold":
		helperHold(os.Getenv("HISTORY_PATH"), os.Getenv("HISTORY_RO") == "1")
		return
	case "write":
		helperWrite(os.Getenv("HISTORY_PATH"))
		return
	case "race":
		helperRace(os.Getenv("HISTORY_PATH"))
		return
	}
	code := m.Run()
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

func helperHold(path string, ro bool) {
	s, err := history.Open(path, history.Options{ReadOnly: ro})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("held")
	io.Copy(io.Discard, os.Stdin)
	s.Close()
	os.Exit(0)
}

func helperWrite(path string) {
	for i := 0; ; i++ {
		var evs []history.Event
		for j := 0; j <= i%7; j++ {
			evs = append(evs, signEvent(i*10+j, time.Now()))
		}
		if i%3 == 0 {
			// The CLI's way: open, append, close.
			stored, err := history.Record(path, evs...)
			if err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			fmt.Println("head", stored[len(stored)-1].Seq)
			continue
		}
		// A long-lived store; sometimes a purge (with its compaction).
		s, err := history.Open(path, history.Options{})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		for k := 0; k < 5; k++ {
			stored, err := s.Append(evs...)
			if err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			fmt.Println("head", stored[len(stored)-1].Seq)
		}
		if i%11 == 5 {
			res, err := s.PurgeBefore(time.Now().Add(-20 * time.Millisecond))
			if err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			if res.Checkpoint != nil {
				fmt.Println("head", res.Checkpoint.Seq)
			}
		}
		s.Close()
	}
}

// helperRace appends one event at a time, opening and closing the store
// each time, and purges (rewriting the file) every tenth time.
func helperRace(path string) {
	for i := 0; i < 60; i++ {
		if i%10 == 9 {
			err := history.Do(path, history.Options{Timeout: 10 * time.Second}, func(s *history.Store) error {
				res, err := s.PurgeBefore(time.Now().Add(-30 * time.Millisecond))
				if err == nil && res.Checkpoint != nil {
					fmt.Println("head", res.Checkpoint.Seq)
				}
				return err
			})
			if err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			continue
		}
		err := history.Do(path, history.Options{Timeout: 10 * time.Second}, func(s *history.Store) error {
			stored, err := s.Append(signEvent(i, time.Time{}))
			if err == nil {
				fmt.Println("head", stored[0].Seq)
			}
			return err
		})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

func helper(t *testing.T, mode, path string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HISTORY_HELPER="+mode, "HISTORY_PATH="+path)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	return cmd
}

// hold starts a process holding the store; release lets it go.
func hold(t *testing.T, path string, ro bool) (release func()) {
	t.Helper()
	env := []string{}
	if ro {
		env = append(env, "HISTORY_RO=1")
	}
	cmd := helper(t, "hold", path, env...)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "held" {
		t.Fatalf("holder: %q", line)
	}
	done := false
	release = func() {
		if !done {
			done = true
			in.Close()
			cmd.Wait()
		}
	}
	t.Cleanup(release)
	return release
}

func quickAppend(path string) error {
	return history.Do(path, history.Options{Timeout: 200 * time.Millisecond}, func(s *history.Store) error {
		_, err := s.Append(history.Event{Kind: "sign"})
		return err
	})
}

// A second process gets ErrBusy while another one writes (not a hang);
// readers share; once the holder lets go, the store opens.
func TestSecondProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	if _, err := history.Record(path, history.Event{Kind: "sign"}); err != nil {
		t.Fatal(err)
	}
	release := hold(t, path, false)
	for _, ro := range []bool{false, true} {
		_, err := history.Open(path, history.Options{Timeout: 200 * time.Millisecond, ReadOnly: ro})
		if !errors.Is(err, history.ErrBusy) {
			t.Errorf("open (read-only %v) while another process writes: %v", ro, err)
		}
	}
	if err := quickAppend(path); !errors.Is(err, history.ErrBusy) {
		t.Errorf("append while another process writes: %v", err)
	}
	release()
	if _, err := history.Record(path, history.Event{Kind: "sign"}); err != nil {
		t.Fatalf("after release: %v", err)
	}

	release = hold(t, path, true)
	r, err := history.Open(path, history.Options{Timeout: 200 * time.Millisecond, ReadOnly: true})
	if err != nil {
		t.Fatalf("two readers: %v", err)
	}
	r.Close()
	if err := quickAppend(path); !errors.Is(err, history.ErrBusy) {
		t.Errorf("append while another process reads: %v", err)
	}
	release()
	if rep := verify(t, path); !rep.OK || rep.Events != 2 {
		t.Errorf("%+v", rep)
	}
}

// A writer killed (SIGKILL) at random points, again and again, while it
// appends in single and batched transactions, opens and closes, and purges
// with compaction: every time the store opens, the chain verifies, every
// event the writer saw committed is there, and no compaction file is left.
func TestCrash(t *testing.T) {
	rounds := 40
	if testing.Short() {
		rounds = 8
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "h.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var committed uint64
	for round := 0; round < rounds; round++ {
		cmd := helper(t, "write", path)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		heads := make(chan uint64, 1<<16)
		errs := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				f := strings.Fields(sc.Text())
				if len(f) == 2 && f[0] == "head" {
					n, _ := strconv.ParseUint(f[1], 10, 64)
					heads <- n
				} else {
					errs <- sc.Text()
				}
			}
			close(heads)
		}()
		time.Sleep(time.Duration(5+rng.IntN(120)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		for h := range heads {
			if h > committed {
				committed = h
			}
		}
		select {
		case e := <-errs:
			t.Fatalf("round %d: writer said %q", round, e)
		default:
		}
		s, err := history.Open(path, history.Options{})
		if err != nil {
			t.Fatalf("round %d: open after kill: %v", round, err)
		}
		rep, err := s.Verify()
		s.Close()
		if err != nil || !rep.OK {
			t.Fatalf("round %d: verify after kill: %+v %v", round, rep, err)
		}
		if rep.Head.Seq < committed {
			t.Fatalf("round %d: head %d, but the writer saw %d committed", round, rep.Head.Seq, committed)
		}
		committed = rep.Head.Seq
		left, _ := filepath.Glob(path + ".compact-*")
		if len(left) > 0 {
			t.Fatalf("round %d: compaction files left: %v", round, left)
		}
	}
	if committed < 50 {
		t.Errorf("only %d events written in %d rounds: the writer hardly ran", committed, rounds)
	}
	t.Logf("%d rounds, %d events", rounds, committed)
}

// Three processes append and purge (each purge rewrites the file and
// renames it into place) at the same time: every sequence number is
// handed out once, none is lost to the replaced file, the chain verifies.
func TestConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	const procs = 3
	outs := make([]*strings.Builder, procs)
	var cmds []*exec.Cmd
	for i := range procs {
		cmd := helper(t, "race", path)
		outs[i] = &strings.Builder{}
		cmd.Stdout = outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	seen := map[uint64]int{}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("writer %d: %v\n%s", i, err, outs[i])
		}
		for _, line := range strings.Split(strings.TrimSpace(outs[i].String()), "\n") {
			f := strings.Fields(line)
			if len(f) != 2 || f[0] != "head" {
				t.Fatalf("writer %d said %q", i, line)
			}
			n, _ := strconv.ParseUint(f[1], 10, 64)
			if prev, dup := seen[n]; dup {
				t.Fatalf("event %d handed to writers %d and %d: one write went to a replaced file", n, prev, i)
			}
			seen[n] = i
		}
	}
	rep := verify(t, path)
	if !rep.OK || rep.Head.Seq != uint64(len(seen)) {
		t.Fatalf("%d events acknowledged; report %+v", len(seen), rep)
	}
	for n := uint64(1); n <= rep.Head.Seq; n++ {
		if _, ok := seen[n]; !ok {
			t.Fatalf("event %d was never acknowledged", n)
		}
	}
}
