// Package gentool is what cellkit's code generators (internal/deepcopygen, internal/interngen)
// share: loading and type-checking the packages to generate for, with one go list call for the
// export data of all their dependencies and without the generator's own previous output; the
// generated file as a Result that knows whether the file on disk is stale and writes or removes
// it; and the command line every generator takes (`[-check] [-o file] [package-dir]`).
//
// A generator's main calls Run with its name, its default output file name and its Generate
// function; its GenerateAll calls LoadAll and turns each Package into a Result. Nothing here is
// safe to share between goroutines without the caller's own synchronisation, and nothing keeps
// state between calls.
package gentool
