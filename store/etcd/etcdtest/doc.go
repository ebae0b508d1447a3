// Package etcdtest starts real etcd servers inside tests: a single member (Start) or a cluster
// of several members (StartCluster), embedded in the test process through
// go.etcd.io/etcd/server/v3/embed, on free loopback ports, with their data in t.TempDir().
// Every server is shut down by t.Cleanup, so a test that uses this package leaves no etcd
// goroutine behind once its cleanups ran.
//
// The usage loop of a test:
//
//	srv := etcdtest.Start(t, etcdtest.Options{})
//	cli := srv.Client(t) // closed at the end of the test
//	s, err := etcd.New(etcd.Options{Client: cli, Resources: resources})
//
// and for fault tests:
//
//	c := etcdtest.StartCluster(t, 3, etcdtest.Options{})
//	cli := c.Client(t) // knows every member
//	c.Stop(1)          // traffic goes on through the others
//	c.Restart(t, 1)
//
// By default members skip fsync (Options.Fsync false), which makes them several times faster
// and loses nothing unless the machine crashes; set Fsync for the tests that must exercise
// etcd's durable write path. Members elect quickly (10 ms ticks, 100 ms election timeout).
//
// Concurrency: a Server or Cluster may be used from any goroutine; Stop and Restart of one
// member must not run concurrently with each other for that member.
package etcdtest
