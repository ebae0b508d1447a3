package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/google/go-cmp/cmp"
)

// CheckJSONStable is the property behind the API packages' fuzz targets. When data decodes into
// a T:
//   - the value must encode (decode never accepts what encode cannot write);
//   - decoding that encoding must succeed and mean the same (equal after Normalize, since an
//     input such as a time of "" decodes to a zero time that encodes as null, which decodes to a
//     nil pointer, exactly as in Kubernetes);
//   - after that one normalizing round, encoding is a fixed point: decode and encode again gives
//     the same bytes;
//   - a deep copy encodes to the same bytes as the value it was copied from.
//
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
	copied, err := json.Marshal(deepCopy(first))
	if err != nil {
		return fmt.Errorf("deep copy of %T does not encode: %w", first, err)
	}
	if !bytes.Equal(enc1, copied) {
		return fmt.Errorf("deep copy of %T encodes differently:\noriginal: %s\ncopy:     %s", first, enc1, copied)
	}
	enc2, err := reencode[T](enc1)
	if err != nil {
		return err
	}
	var v1, v2 any
	if err := json.Unmarshal(enc1, &v1); err != nil {
		return fmt.Errorf("encoding of %T is not JSON: %w", first, err)
	}
	if err := json.Unmarshal(enc2, &v2); err != nil {
		return fmt.Errorf("encoding of %T is not JSON: %w", first, err)
	}
	if diff := cmp.Diff(Normalize(v1), Normalize(v2)); diff != "" {
		return fmt.Errorf("re-decoding %T changed its meaning (-first +second):\n%s", first, diff)
	}
	enc3, err := reencode[T](enc2)
	if err != nil {
		return err
	}
	if !bytes.Equal(enc2, enc3) {
		return fmt.Errorf("encoding of %T is not a fixed point:\nsecond: %s\nthird:  %s", first, enc2, enc3)
	}
	return nil
}

func reencode[T any](enc []byte) ([]byte, error) {
	v := new(T)
	if err := json.Unmarshal(enc, v); err != nil {
		return nil, fmt.Errorf("encoding of %T does not decode: %w\n%s", v, err, enc)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("re-decoded %T does not encode: %w", v, err)
	}
	return out, nil
}

// FuzzCorpusEntry renders data as a file of Go's fuzz corpus format ("go test fuzz v1") holding
// one []byte argument, for writing seed files under testdata/fuzz/FuzzX/.
func FuzzCorpusEntry(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}
