package meta_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

func TestTimeJSON(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"zero is null", time.Time{}, `null`},
		{"UTC at second precision", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), `"2024-01-02T03:04:05Z"`},
		{"sub-second dropped", time.Date(2024, 1, 2, 3, 4, 5, 999_999_999, time.UTC), `"2024-01-02T03:04:05Z"`},
		{"other zones written in UTC", time.Date(2024, 1, 2, 3, 4, 5, 0, cet), `"2024-01-02T02:04:05Z"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(meta.NewTime(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
			var back meta.Time
			require.NoError(t, json.Unmarshal(b, &back))
			assert.True(t, back.Time.Equal(tc.in.Truncate(time.Second)), "round trip %v != %v", back, tc.in)
		})
	}
}

func TestTimeUnmarshal(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{"null", `null`, time.Time{}, false},
		{"empty string", `""`, time.Time{}, false},
		{"UTC", `"2024-01-02T03:04:05Z"`, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), false},
		{"offset", `"2024-01-02T03:04:05+02:00"`, time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC), false},
		{"fraction accepted", `"2024-01-02T03:04:05.25Z"`, time.Date(2024, 1, 2, 3, 4, 5, 250_000_000, time.UTC), false},
		{"number", `12`, time.Time{}, true},
		{"not RFC 3339", `"2024-01-02 03:04:05"`, time.Time{}, true},
		{"date only", `"2024-01-02"`, time.Time{}, true},
		{"bad JSON", `"2024`, time.Time{}, true},
		{"year 10000 in UTC", `"9999-12-31T23:59:59-01:00"`, time.Time{}, true},
		{"year -1 in UTC", `"0000-01-01T00:30:00+01:00"`, time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got meta.Time
			err := json.Unmarshal([]byte(tc.in), &got)
			if tc.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.True(t, got.Time.Equal(tc.want), "got %v want %v", got.Time, tc.want)
		})
	}
}

func TestTimeOutOfRangeMarshal(t *testing.T) {
	big := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := json.Marshal(meta.NewTime(big))
	assert.ErrorContains(t, err, "year 10000 in UTC is outside the RFC 3339 range")
	_, err = json.Marshal(meta.NewMicroTime(big))
	assert.ErrorContains(t, err, "microtime: year 10000")
	var mt meta.MicroTime
	assert.Error(t, json.Unmarshal([]byte(`"9999-12-31T23:59:59.5-01:00"`), &mt))
}

func TestTimeNullInStructs(t *testing.T) {
	var s struct {
		T  meta.Time  `json:"t"`
		P  *meta.Time `json:"p,omitempty"`
		MT meta.MicroTime
	}
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, `{"t":null,"MT":null}`, string(b))
	s.T = meta.NewTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	require.NoError(t, json.Unmarshal([]byte(`{"t":null}`), &s))
	assert.True(t, s.T.IsZero(), "null resets the time")
}

func TestTimeHelpers(t *testing.T) {
	a := meta.NewTime(time.Date(2024, 1, 2, 3, 4, 5, 100, time.UTC))
	b := meta.NewTime(time.Date(2024, 1, 2, 3, 4, 5, 900, time.UTC))
	c := meta.NewTime(time.Date(2024, 1, 2, 3, 4, 6, 0, time.UTC))
	assert.True(t, a.Equal(&b), "equal at second precision")
	assert.False(t, a.Equal(&c))
	assert.True(t, (*meta.Time)(nil).Equal(&meta.Time{}), "nil equals zero")
	assert.False(t, (*meta.Time)(nil).Equal(&a))
	assert.True(t, a.Before(&c))
	assert.False(t, a.Before(nil))
	txt, err := c.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "2024-01-02T03:04:06Z", string(txt))
	cp := a.DeepCopy()
	cp.Time = cp.Time.Add(time.Hour)
	assert.NotEqual(t, cp.Time, a.Time)
	assert.Nil(t, (*meta.Time)(nil).DeepCopy())
}

func TestMicroTimeJSON(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"zero is null", time.Time{}, `null`},
		{"microseconds kept", time.Date(2024, 1, 2, 3, 4, 5, 123_456_000, time.UTC), `"2024-01-02T03:04:05.123456Z"`},
		{"always six digits", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), `"2024-01-02T03:04:05.000000Z"`},
		{"nanoseconds dropped", time.Date(2024, 1, 2, 3, 4, 5, 123_456_789, time.UTC), `"2024-01-02T03:04:05.123456Z"`},
		{"UTC", time.Date(2024, 1, 2, 3, 4, 5, 1000, time.FixedZone("X", -7200)), `"2024-01-02T05:04:05.000001Z"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(meta.NewMicroTime(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
			var back meta.MicroTime
			require.NoError(t, json.Unmarshal(b, &back))
			assert.True(t, back.Time.Equal(tc.in.Truncate(time.Microsecond)), "round trip %v != %v", back.Time, tc.in)
		})
	}
	var mt meta.MicroTime
	require.NoError(t, json.Unmarshal([]byte(`"2024-01-02T03:04:05Z"`), &mt), "seconds-only input is accepted")
	assert.True(t, mt.Time.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)))
	require.NoError(t, json.Unmarshal([]byte(`null`), &mt))
	assert.True(t, mt.IsZero())
	assert.Error(t, json.Unmarshal([]byte(`true`), &mt))
	assert.Error(t, json.Unmarshal([]byte(`"yesterday"`), &mt))
}

// FuzzTimeUnmarshal: UnmarshalJSON never panics, and what it accepts marshals to a form that
// reads back as the same instant at second precision and marshals identically again.
func FuzzTimeUnmarshal(f *testing.F) {
	for _, s := range []string{`null`, `""`, `"2024-01-02T03:04:05Z"`, `"2024-01-02T03:04:05.999+05:30"`,
		`"0000-01-01T00:00:00Z"`, `"9999-12-31T23:59:59Z"`, `12`, `"x"`, `"2024-02-30T00:00:00Z"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var tm meta.Time
		if err := tm.UnmarshalJSON(data); err != nil {
			return
		}
		b, err := tm.MarshalJSON()
		if err != nil {
			t.Fatalf("accepted %q but cannot marshal it: %v", data, err)
		}
		var back meta.Time
		if err := back.UnmarshalJSON(b); err != nil {
			t.Fatalf("accepted %q, wrote %s, cannot read that back: %v", data, b, err)
		}
		if !back.Time.Equal(tm.Time.Truncate(time.Second)) {
			t.Fatalf("%q: read back %v, want %v", data, back.Time, tm.Time.Truncate(time.Second))
		}
		b2, _ := back.MarshalJSON()
		if string(b) != string(b2) {
			t.Fatalf("%q: marshal not stable: %s then %s", data, b, b2)
		}
	})
}

// FuzzMicroTimeUnmarshal is FuzzTimeUnmarshal at microsecond precision.
func FuzzMicroTimeUnmarshal(f *testing.F) {
	for _, s := range []string{`null`, `""`, `"2024-01-02T03:04:05.123456Z"`, `"2024-01-02T03:04:05.123456789-01:00"`,
		`"2024-01-02T03:04:05Z"`, `"9999-12-31T23:59:59.999999Z"`, `[]`, `"2024-13-01T00:00:00Z"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var tm meta.MicroTime
		if err := tm.UnmarshalJSON(data); err != nil {
			return
		}
		b, err := tm.MarshalJSON()
		if err != nil {
			t.Fatalf("accepted %q but cannot marshal it: %v", data, err)
		}
		var back meta.MicroTime
		if err := back.UnmarshalJSON(b); err != nil {
			t.Fatalf("accepted %q, wrote %s, cannot read that back: %v", data, b, err)
		}
		if !back.Time.Equal(tm.Time.Truncate(time.Microsecond)) {
			t.Fatalf("%q: read back %v, want %v", data, back.Time, tm.Time.Truncate(time.Microsecond))
		}
		b2, _ := back.MarshalJSON()
		if string(b) != string(b2) {
			t.Fatalf("%q: marshal not stable: %s then %s", data, b, b2)
		}
	})
}
