package disk_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/storetest"
)

// The crash test runs this test binary again as a child process that writes under load and
// reports every acknowledged write on stdout; the parent kills it with SIGKILL and checks the
// database.
const crashEnv = "CELLKIT_DISK_CRASH_CHILD_DB"

const (
	crashWriters      = 16
	crashKeysPerOwner = 8
)

func TestMain(m *testing.M) {
	if path := os.Getenv(crashEnv); path != "" {
		os.Exit(crashChild(path))
	}
	os.Exit(m.Run())
}

func crashOptions(path string) disk.Options {
	return disk.Options{Path: path, Resources: storetest.Resources(), MaxHistory: 1 << 20, MaxHistoryAge: -1, OpenTimeout: 0}
}

// crashChild writes until it is killed. Each writer owns its keys, so each key's operations
// are sequential: before an operation it prints "begin <key> <op> <phase>", after its
// acknowledgement "ack <key> <op> <rev> <phase>".
func crashChild(path string) int {
	s, err := disk.Open(crashOptions(path))
	if err != nil {
		fmt.Fprintf(os.Stderr, "child: open: %v\n", err)
		return 2
	}
	ctx := context.Background()
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	var outMu sync.Mutex
	say := func(line string) {
		outMu.Lock()
		_, _ = os.Stdout.WriteString(line + "\n") // one write per line: atomic on a pipe
		outMu.Unlock()
	}
	fail := func(err error) {
		fmt.Fprintf(os.Stderr, "child: %v\n", err)
		os.Exit(2)
	}
	var wg sync.WaitGroup
	for g := 0; g < crashWriters; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(g)))
			for n := 0; ; n++ {
				name := fmt.Sprintf("k%02d-%d", g, rng.IntN(crashKeysPerOwner))
				phase := fmt.Sprintf("p%d-%d-%d", os.Getpid(), g, n)
				cur, err := ws.Get(ctx, "crash", name, store.GetOptions{})
				switch {
				case apierrors.IsNotFound(err):
					say("begin " + name + " create " + phase)
					w := widget("crash", name, fmt.Sprintf("n%d", rng.IntN(4)))
					w.Status.Phase = phase
					out, err := ws.Create(ctx, w)
					if err != nil {
						fail(err)
					}
					say("ack " + name + " create " + out.ResourceVersion + " " + phase)
				case err != nil:
					fail(err)
				case rng.IntN(10) < 7:
					say("begin " + name + " update " + phase)
					cur.Status.Phase = phase
					cur.Spec.Node = fmt.Sprintf("n%d", rng.IntN(4))
					out, err := ws.Update(ctx, cur)
					if err != nil {
						fail(err)
					}
					say("ack " + name + " update " + out.ResourceVersion + " " + phase)
				default:
					say("begin " + name + " delete " + phase)
					out, err := ws.Delete(ctx, "crash", name, store.DeleteOptions{})
					if err != nil {
						fail(err)
					}
					say("ack " + name + " delete " + out.ResourceVersion + " " + phase)
				}
			}
		}()
	}
	wg.Wait()
	return 0
}

// keyState is the state of one key: absent, or present with a phase.
type keyState struct {
	Present bool
	Phase   string
}

func after(op, phase string) keyState {
	if op == "delete" {
		return keyState{}
	}
	return keyState{Present: true, Phase: phase}
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test re-executes the test binary 20 times; skipped with -short")
	}
	const rounds = 20
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	rng := rand.New(rand.NewPCG(1, 2))
	state := map[string]keyState{} // verified state after the previous round
	var startRev int64
	totalAcks := 0
	for round := 0; round < rounds; round++ {
		most := 600
		if raceEnabled {
			most = 60
		}
		killAfter := 1 + rng.IntN(most) // acknowledgements before the kill
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		var lines []string
		acks := 0
		killed := false
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if strings.HasPrefix(sc.Text(), "ack ") {
				acks++
			}
			if acks == killAfter && !killed {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				killed = true // keep reading: lines already in the pipe were acknowledged too
			}
		}
		err = cmd.Wait()
		if !killed {
			t.Fatalf("round %d: child ended before the kill: %v\n%s", round, err, stderr.String())
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, want SIGKILL\n%s", round, err, stderr.String())
		}
		// What the child reported, per key: the state after its last acknowledged write and
		// the write it had begun after that, if any.
		type report struct {
			acked    *keyState
			ackRev   int64
			inflight *keyState
		}
		reports := map[string]*report{}
		var maxAck int64
		for _, l := range lines {
			f := strings.Fields(l)
			r := reports[f[1]]
			if r == nil {
				r = &report{}
				reports[f[1]] = r
			}
			switch f[0] {
			case "begin":
				st := after(f[2], f[3])
				r.inflight = &st
			case "ack":
				st := after(f[2], f[4])
				rev, err := strconv.ParseInt(f[3], 10, 64)
				if err != nil {
					t.Fatalf("bad ack line %q", l)
				}
				r.acked, r.ackRev, r.inflight = &st, rev, nil
				maxAck = max(maxAck, rev)
				totalAcks++
			default:
				t.Fatalf("bad line %q", l)
			}
		}

		s, err := disk.Open(crashOptions(path))
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if err := s.Check(ctx); err != nil {
			t.Fatalf("round %d: consistency check: %v", round, err)
		}
		st, _ := s.Stats(ctx)
		if st.Revision < maxAck {
			t.Fatalf("round %d: revision %d below the acknowledged %d", round, st.Revision, maxAck)
		}
		ws := store.For[*storetest.Widget](s, storetest.Widgets)
		l, err := ws.List(ctx, "crash", store.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		actual := map[string]keyState{}
		for _, w := range l.Items {
			actual[w.Name] = keyState{Present: true, Phase: w.Status.Phase}
		}
		for g := 0; g < crashWriters; g++ {
			for k := 0; k < crashKeysPerOwner; k++ {
				key := fmt.Sprintf("k%02d-%d", g, k)
				allowed := []keyState{state[key]}
				if r := reports[key]; r != nil {
					if r.acked != nil {
						allowed = []keyState{*r.acked}
					}
					if r.inflight != nil {
						allowed = append(allowed, *r.inflight)
					}
				}
				ok := false
				for _, a := range allowed {
					ok = ok || a == actual[key]
				}
				if !ok {
					t.Fatalf("round %d: key %s is %+v, want one of %+v (acknowledged write lost or unacknowledged state visible)", round, key, actual[key], allowed)
				}
			}
		}
		// The history survived: replaying it from the round's start gives the current state.
		if startRev > 0 {
			replayed := map[string]keyState{}
			for k, v := range state {
				if v.Present {
					replayed[k] = v
				}
			}
			w, err := ws.Watch(ctx, "crash", store.WatchOptions{Revision: startRev})
			if err != nil {
				t.Fatal(err)
			}
			w.(store.ProgressRequester).RequestProgress()
			for ev := range w.ResultChan() {
				if ev.Type == watch.Bookmark {
					if n, _ := strconv.ParseInt(ev.Object.ResourceVersion, 10, 64); n >= st.Revision {
						break
					}
					continue
				}
				switch ev.Type {
				case watch.Added, watch.Modified:
					replayed[ev.Object.Name] = keyState{Present: true, Phase: ev.Object.Status.Phase}
				case watch.Deleted:
					delete(replayed, ev.Object.Name)
				default:
					t.Fatalf("round %d: replay event %s %v", round, ev.Type, ev.ErrorStatus())
				}
			}
			w.Stop()
			if d := cmp.Diff(actual, replayed); d != "" {
				t.Fatalf("round %d: history replayed from %d differs from the state (-state +replay):\n%s", round, startRev, d)
			}
		}
		state, startRev = actual, st.Revision
		closeStore(t, s)
	}
	t.Logf("%d kills, %d acknowledged writes checked, final revision %d", rounds, totalAcks, startRev)
}
