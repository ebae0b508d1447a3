// Package layers holds the test that keeps cellkit's import graph in the shape of the design:
// imports point down the layers (apimachinery, workqueue; store; informer; scheduler; controller;
// examples), never up, and never sideways between siblings of one layer. It has no code of its
// own; `go test ./internal/layers` runs `go list` over the module and checks every import.
package layers
