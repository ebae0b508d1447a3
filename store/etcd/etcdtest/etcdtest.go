package etcdtest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// Options configure the members Start and StartCluster run. The zero value is the fast default.
type Options struct {
	// Fsync makes the members fsync their write-ahead log and database as a production etcd
	// does. Default false: the members run with UnsafeNoFsync, which is much faster and loses
	// nothing unless the machine itself crashes during the test.
	Fsync bool
	// StartTimeout bounds the wait for a member (or the whole cluster) to become ready.
	// Default 30 seconds.
	StartTimeout time.Duration
}

// DefaultStartTimeout is the default of Options.StartTimeout.
const DefaultStartTimeout = 30 * time.Second

func (o Options) timeout() time.Duration {
	if o.StartTimeout <= 0 {
		return DefaultStartTimeout
	}
	return o.StartTimeout
}

// member is one etcd server of a Server or Cluster.
type member struct {
	name      string
	dir       string
	clientURL url.URL
	peerURL   url.URL
	fsync     bool

	mu   sync.Mutex
	etcd *embed.Etcd // nil while stopped
}

// freePort returns a TCP port on loopback that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func newMember(dir, name string, fsync bool) (*member, error) {
	cp, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("etcdtest: pick client port: %w", err)
	}
	pp, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("etcdtest: pick peer port: %w", err)
	}
	return &member{
		name:      name,
		dir:       filepath.Join(dir, name),
		clientURL: url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", cp)},
		peerURL:   url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", pp)},
		fsync:     fsync,
	}, nil
}

// config returns the member's embed configuration; initialCluster lists every member and state
// is "new" or "existing".
func (m *member) config(initialCluster, state string) *embed.Config {
	cfg := embed.NewConfig()
	cfg.Name = m.name
	cfg.Dir = m.dir
	cfg.ListenClientUrls = []url.URL{m.clientURL}
	cfg.AdvertiseClientUrls = []url.URL{m.clientURL}
	cfg.ListenPeerUrls = []url.URL{m.peerURL}
	cfg.AdvertisePeerUrls = []url.URL{m.peerURL}
	cfg.InitialCluster = initialCluster
	cfg.InitialClusterToken = "etcdtest"
	cfg.ClusterState = state
	cfg.UnsafeNoFsync = !m.fsync
	cfg.EnableGRPCGateway = false
	cfg.ListenMetricsUrls = nil
	cfg.Metrics = "basic"
	// Fast elections: members run on one machine.
	cfg.TickMs = 10
	cfg.ElectionMs = 100
	cfg.LogLevel = "error"
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	return cfg
}

// start starts the member and waits until it is ready to serve or timeout passes.
func (m *member) start(cfg *embed.Config, timeout time.Duration) error {
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("etcdtest: start member %s: %w", m.name, err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return fmt.Errorf("etcdtest: member %s failed while starting: %w", m.name, err)
	case <-time.After(timeout):
		e.Close()
		return fmt.Errorf("etcdtest: member %s not ready within %v", m.name, timeout)
	}
	m.mu.Lock()
	m.etcd = e
	m.mu.Unlock()
	return nil
}

// stop closes the member if it runs; it is idempotent.
func (m *member) stop() {
	m.mu.Lock()
	e := m.etcd
	m.etcd = nil
	m.mu.Unlock()
	if e != nil {
		e.Close()
	}
}

func (m *member) running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.etcd != nil
}

// Server is one etcd member serving on loopback, with its data in a temporary directory.
type Server struct {
	m *member
}

// Start starts a single-member etcd cluster on free loopback ports with its data in
// t.TempDir(), waits until it serves, and registers its shutdown with t.Cleanup. It fails the
// test if etcd does not start.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	dir := t.TempDir()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // a picked port may be taken in between
		m, err := newMember(dir, fmt.Sprintf("s%d", attempt), opts.Fsync)
		if err != nil {
			t.Fatal(err)
		}
		cfg := m.config(m.name+"="+m.peerURL.String(), embed.ClusterStateFlagNew)
		if lastErr = m.start(cfg, opts.timeout()); lastErr == nil {
			t.Cleanup(m.stop)
			return &Server{m: m}
		}
	}
	t.Fatal(lastErr)
	return nil
}

// Endpoints returns the client URL of the server.
func (s *Server) Endpoints() []string { return []string{s.m.clientURL.String()} }

// Client returns a new client of the server, closed by t.Cleanup.
func (s *Server) Client(t testing.TB) *clientv3.Client {
	t.Helper()
	return newClient(t, s.Endpoints())
}

// Stop stops the server (it is also stopped at the end of the test).
func (s *Server) Stop() { s.m.stop() }

func newClient(t testing.TB, endpoints []string) *clientv3.Client {
	t.Helper()
	c, err := clientv3.New(clientv3.Config{
		Endpoints:   endpoints,
		DialTimeout: 5 * time.Second,
		Logger:      zap.NewNop(),
	})
	if err != nil {
		t.Fatalf("etcdtest: new client of %v: %v", endpoints, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Cluster is a cluster of etcd members on loopback, each with its data in a temporary
// directory. Members can be stopped and restarted to test clients against member loss.
type Cluster struct {
	opts    Options
	members []*member
	initial string
}

// StartCluster starts an n-member etcd cluster on free loopback ports, waits until every
// member serves, and registers the shutdown of every member with t.Cleanup. It fails the
// test if the cluster does not start.
func StartCluster(t testing.TB, n int, opts Options) *Cluster {
	t.Helper()
	if n < 1 {
		t.Fatalf("etcdtest: cluster of %d members", n)
	}
	dir := t.TempDir()
	c := &Cluster{opts: opts}
	var peers []string
	for i := 0; i < n; i++ {
		m, err := newMember(dir, fmt.Sprintf("m%d", i), opts.Fsync)
		if err != nil {
			t.Fatal(err)
		}
		c.members = append(c.members, m)
		peers = append(peers, m.name+"="+m.peerURL.String())
		t.Cleanup(m.stop)
	}
	c.initial = strings.Join(peers, ",")
	// Members wait for a quorum before they are ready, so they start together.
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, m := range c.members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = m.start(m.config(c.initial, embed.ClusterStateFlagNew), opts.timeout())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// Size returns the number of members.
func (c *Cluster) Size() int { return len(c.members) }

// Endpoints returns the client URLs of every member, running or not.
func (c *Cluster) Endpoints() []string {
	out := make([]string, len(c.members))
	for i, m := range c.members {
		out[i] = m.clientURL.String()
	}
	return out
}

// Client returns a new client that knows every member, closed by t.Cleanup.
func (c *Cluster) Client(t testing.TB) *clientv3.Client {
	t.Helper()
	return newClient(t, c.Endpoints())
}

// MemberClient returns a new client of member i only, closed by t.Cleanup.
func (c *Cluster) MemberClient(t testing.TB, i int) *clientv3.Client {
	t.Helper()
	return newClient(t, []string{c.members[i].clientURL.String()})
}

// Stop stops member i; it is a no-op for a stopped member.
func (c *Cluster) Stop(i int) { c.members[i].stop() }

// Running reports whether member i runs.
func (c *Cluster) Running(i int) bool { return c.members[i].running() }

// Restart starts the stopped member i again from its data directory, on the same ports, and
// waits until it is ready. It fails the test if the member does not come back.
func (c *Cluster) Restart(t testing.TB, i int) {
	t.Helper()
	m := c.members[i]
	if m.running() {
		t.Fatalf("etcdtest: restart of running member %s", m.name)
	}
	if err := m.start(m.config(c.initial, embed.ClusterStateFlagExisting), c.opts.timeout()); err != nil {
		t.Fatal(err)
	}
}

// Leader returns the index of the member that a running member reports as leader, or -1 when
// no running member knows one.
func (c *Cluster) Leader() int {
	for _, m := range c.members {
		m.mu.Lock()
		e := m.etcd
		m.mu.Unlock()
		if e == nil {
			continue
		}
		lead := e.Server.Leader()
		if lead == 0 {
			continue
		}
		for j, o := range c.members {
			o.mu.Lock()
			oe := o.etcd
			o.mu.Unlock()
			if oe != nil && oe.Server.MemberID() == lead {
				return j
			}
		}
	}
	return -1
}

// WaitLeader waits until some running member reports a leader, or fails the test after the
// start timeout.
func (c *Cluster) WaitLeader(ctx context.Context, t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(c.opts.timeout())
	for time.Now().Before(deadline) {
		for _, m := range c.members {
			m.mu.Lock()
			e := m.etcd
			m.mu.Unlock()
			if e != nil && e.Server.Leader() != 0 {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("etcdtest: wait for leader: %v", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("etcdtest: no leader within %v", c.opts.timeout())
}
