// Package examples holds cellkit's runnable programs, one directory each: quickstart (the main
// example: decode, create, list, patch, update and watch objects on the embedded store). It has
// no code of its own.
package examples
