package informer

import (
	"errors"
	"fmt"
)

// Errors of this package, usable with errors.Is.
var (
	// ErrStarted: the operation is only allowed before Run (adding indexes, setting a
	// transform) or Run was called twice.
	ErrStarted = errors.New("informer already started")
	// ErrInvalidOptions: the options given to a constructor are not valid.
	ErrInvalidOptions = errors.New("invalid informer options")
	// ErrTypeMismatch: the source produced an object that is not of the informer's type, or a
	// factory was asked for a shared informer with another type than the one it holds.
	ErrTypeMismatch = errors.New("object type mismatch")
	// ErrUnknownIndex: a lister was asked for an index that was never added.
	ErrUnknownIndex = errors.New("unknown index")
	// ErrOutOfOrder: a watch delivered a revision older than one it already delivered; the
	// informer relists to recover.
	ErrOutOfOrder = errors.New("watch events out of order")
)

func errorf(format string, args ...any) error {
	return fmt.Errorf("informer: %w: "+format, append([]any{ErrInvalidOptions}, args...)...)
}
