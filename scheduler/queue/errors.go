package queue

import "errors"

// ErrNoLess: Options.Less is required.
var ErrNoLess = errors.New("queue: options need a Less function")
