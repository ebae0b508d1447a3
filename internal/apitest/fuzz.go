package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// CheckJSONStable is the property behind the API packages' fuzz targets. When data decodes into
// a T, the value must encode; decoding that encoding and encoding again must give the same bytes
// (encoding is a fixed point after one round); and a deep copy must encode to the same bytes.
// Input that does not decode is fine and gives nil: decoders must reject bad input with an
// error, which the caller's fuzz run checks by not panicking or hanging.
func CheckJSONStable[T any](data []byte, deepCopy func(*T) *T) error {
	first := new(T)
	if err := json.Unmarshal(data, first); err != nil {
		return nil
	}
	enc1, err := json.Marshal(first)
	if err != nil {
		return fmt.Errorf("decoded %T does not encode: %w", first, err)
	}
	second := new(T)
	if err := json.Unmarshal(enc1, second); err != nil {
		return fmt.Errorf("encoding of %T does not decode: %w\n%s", first, err, enc1)
	}
	enc2, err := json.Marshal(second)
	if err != nil {
		return fmt.Errorf("re-decoded %T does not encode: %w", second, err)
	}
	if !bytes.Equal(enc1, enc2) {
		return fmt.Errorf("encoding of %T is not stable:\nfirst:  %s\nsecond: %s", first, enc1, enc2)
	}
	enc3, err := json.Marshal(deepCopy(first))
	if err != nil {
		return fmt.Errorf("deep copy of %T does not encode: %w", first, err)
	}
	if !bytes.Equal(enc1, enc3) {
		return fmt.Errorf("deep copy of %T encodes differently:\noriginal: %s\ncopy:     %s", first, enc1, enc3)
	}
	return nil
}

// FuzzCorpusEntry renders data as a file of Go's fuzz corpus format ("go test fuzz v1") holding
// one []byte argument, for writing seed files under testdata/fuzz/FuzzX/.
func FuzzCorpusEntry(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}
