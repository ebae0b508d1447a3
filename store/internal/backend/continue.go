package backend

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Continue is the content of a continue token: the revision of the paginated list's snapshot
// and the key of the last item returned. The next page starts strictly after Key.
type Continue struct {
	Revision int64
	Key      string
}

// continueVersion is the format version written into every token, so a future format can be
// told apart.
const continueVersion = "cellkit/continue.v1"

type continueWire struct {
	V     string `json:"v"`
	Rev   int64  `json:"rv"`
	Start string `json:"start"`
}

// ErrBadContinue is the error DecodeContinue wraps for every token it cannot read.
var ErrBadContinue = errors.New("invalid continue token")

// EncodeContinue returns the opaque token of c: unpadded URL-safe base64 of a small JSON
// document carrying a format version, the revision and the key.
func EncodeContinue(c Continue) string {
	b, _ := json.Marshal(continueWire{V: continueVersion, Rev: c.Revision, Start: c.Key}) // cannot fail: strings and an int
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeContinue reads a token made by EncodeContinue. It fails, wrapping ErrBadContinue, for
// anything else: bad base64 or JSON, another format version, a revision below 1, an empty key
// or one that is not under prefix (the namespace the list is for, "" for every namespace).
func DecodeContinue(token, prefix string) (Continue, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return Continue{}, fmt.Errorf("%w: %v", ErrBadContinue, err)
	}
	var w continueWire
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Continue{}, fmt.Errorf("%w: %v", ErrBadContinue, err)
	}
	if dec.More() {
		return Continue{}, fmt.Errorf("%w: trailing data", ErrBadContinue)
	}
	switch {
	case w.V != continueVersion:
		return Continue{}, fmt.Errorf("%w: unknown format %q", ErrBadContinue, w.V)
	case w.Rev < 1:
		return Continue{}, fmt.Errorf("%w: revision %d", ErrBadContinue, w.Rev)
	case w.Start == "":
		return Continue{}, fmt.Errorf("%w: empty start key", ErrBadContinue)
	case prefix != "" && !strings.HasPrefix(w.Start, prefix):
		return Continue{}, fmt.Errorf("%w: key %q is not in the listed range %q", ErrBadContinue, w.Start, prefix)
	}
	return Continue{Revision: w.Rev, Key: w.Start}, nil
}
