//go:build race

package disk_test

// raceEnabled shortens the crash test under the race detector, which slows the child tenfold.
const raceEnabled = true
