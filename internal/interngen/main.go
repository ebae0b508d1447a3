package main

import (
	"io"
	"os"

	"github.com/cellkit/cellkit/internal/gentool"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it parses args, generates and reports, and returns the exit
// status (0 ok, 1 stale file in -check mode, 2 usage or generation error); see gentool.Run.
func run(args []string, _, stderr io.Writer) int {
	return gentool.Run("interngen", defaultOutput, args, stderr, Generate)
}
