package cron

import (
	"errors"
	"math/rand"
	"testing"
	"time"
)

// matchesBrute reports whether t (in the schedule's zone) is an activation, checked field by
// field without the search of Next.
func (s *Schedule) matchesBrute(t time.Time) bool {
	if s.loc != nil {
		t = t.In(s.loc)
	}
	return t.Second() == 0 && t.Nanosecond() == 0 &&
		s.minute&(1<<uint(t.Minute())) != 0 && s.hour&(1<<uint(t.Hour())) != 0 &&
		s.month&(1<<uint(t.Month())) != 0 && s.dayMatches(t)
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func TestParseScheduleErrors(t *testing.T) {
	bad := []string{
		"", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *",
		"* * * 13 *", "* * * * 7", "*/0 * * * *", "5-1 * * * *", "a * * * *", "? * * * *",
		"@every 10ms", "@every x", "@often", "TZ=Mars/Base * * * * *", "TZ=UTC", "1,,2 * * * *",
		"-5 * * * *", "* * * JANUARY *",
	}
	for _, spec := range bad {
		t.Run(spec, func(t *testing.T) {
			s, err := Parse(spec)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want error", spec, s)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestScheduleNext(t *testing.T) {
	utc := time.UTC
	ny := mustLoad(t, "America/New_York")
	at := func(loc *time.Location, y int, mo time.Month, d, h, mi int) time.Time {
		return time.Date(y, mo, d, h, mi, 0, 0, loc)
	}
	tests := []struct {
		spec string
		from time.Time
		want time.Time
	}{
		{"* * * * *", at(utc, 2026, 1, 1, 0, 0).Add(30 * time.Second), at(utc, 2026, 1, 1, 0, 1)},
		{"*/15 * * * *", at(utc, 2026, 1, 1, 0, 15), at(utc, 2026, 1, 1, 0, 30)},
		{"0 9-17/4 * * MON-FRI", at(utc, 2026, 11, 20, 17, 0), at(utc, 2026, 11, 23, 9, 0)}, // Fri 17:00 -> Mon 09:00
		{"@hourly", at(utc, 2026, 12, 31, 23, 30), at(utc, 2027, 1, 1, 0, 0)},
		{"@daily", at(utc, 2026, 2, 28, 12, 0), at(utc, 2026, 3, 1, 0, 0)},
		{"@weekly", at(utc, 2026, 11, 22, 0, 0), at(utc, 2026, 11, 29, 0, 0)}, // Sunday -> next Sunday
		{"@monthly", at(utc, 2026, 1, 31, 0, 0), at(utc, 2026, 2, 1, 0, 0)},
		{"@yearly", at(utc, 2026, 6, 1, 0, 0), at(utc, 2027, 1, 1, 0, 0)},
		{"0 0 29 2 *", at(utc, 2026, 3, 1, 0, 0), at(utc, 2028, 2, 29, 0, 0)},
		{"0 0 30 2 *", at(utc, 2026, 1, 1, 0, 0), time.Time{}},
		// Day of month OR day of week when both are restricted: the 13th or any Friday.
		{"0 0 13 * FRI", at(utc, 2026, 11, 1, 0, 0), at(utc, 2026, 11, 6, 0, 0)},
		{"0 0 13 * ?", at(utc, 2026, 11, 1, 0, 0), at(utc, 2026, 11, 13, 0, 0)},
		{"30 5 * jan,Jul sun", at(utc, 2026, 1, 1, 0, 0), at(utc, 2026, 1, 4, 5, 30)},
		{"10/20 * * * *", at(utc, 2026, 1, 1, 0, 11), at(utc, 2026, 1, 1, 0, 30)},
		{"@every 90s", at(utc, 2026, 1, 1, 0, 0).Add(500 * time.Millisecond), at(utc, 2026, 1, 1, 0, 1).Add(30 * time.Second)},
		// Time zones: 09:00 in New York is 14:00 UTC in winter.
		{"TZ=America/New_York 0 9 * * *", at(utc, 2026, 1, 5, 12, 0), at(utc, 2026, 1, 5, 14, 0)},
		{"CRON_TZ=America/New_York 0 9 * * *", at(utc, 2026, 7, 5, 12, 0), at(utc, 2026, 7, 5, 13, 0)},
		// Spring forward: 02:30 does not exist on 2026-03-08 in New York; the next 02:30 is
		// the following day.
		{"30 2 * * *", at(ny, 2026, 3, 7, 3, 0), at(ny, 2026, 3, 9, 2, 30)},
		// Fall back: 01:30 happens twice on 2026-11-01; the first is taken.
		{"30 1 * * *", at(ny, 2026, 10, 31, 23, 0), time.Date(2026, 11, 1, 5, 30, 0, 0, utc).In(ny)},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			s, err := Parse(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			got := s.Next(tt.from)
			if !got.Equal(tt.want) {
				t.Errorf("Next(%v) = %v, want %v", tt.from, got, tt.want)
			}
			if !got.IsZero() && got.Location() != tt.from.Location() {
				t.Errorf("Next returned location %v, want %v", got.Location(), tt.from.Location())
			}
		})
	}
}

// Next agrees with a minute-by-minute scan for random schedules and start times.
func TestScheduleNextAgreesWithScan(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pick := func(lo, hi int) string {
		switch r.Intn(4) {
		case 0:
			return "*"
		case 1:
			a := lo + r.Intn(hi-lo+1)
			return itoa(a)
		case 2:
			a := lo + r.Intn(hi-lo+1)
			b := a + r.Intn(hi-a+1)
			return itoa(a) + "-" + itoa(b)
		default:
			return "*/" + itoa(1+r.Intn(hi-lo+1))
		}
	}
	zones := []*time.Location{time.UTC, mustLoad(t, "America/New_York"), mustLoad(t, "Australia/Lord_Howe")}
	for i := 0; i < 80; i++ {
		spec := pick(0, 59) + " " + pick(0, 23) + " " + pick(1, 31) + " " + pick(1, 12) + " " + pick(0, 6)
		s, err := Parse(spec)
		if err != nil {
			t.Fatalf("%q: %v", spec, err)
		}
		loc := zones[i%len(zones)]
		from := time.Date(2026, time.Month(1+r.Intn(12)), 1+r.Intn(28), r.Intn(24), r.Intn(60), r.Intn(60), 0, loc)
		got := s.Next(from)
		// Scan at most 120 days of minutes.
		var want time.Time
		for c := from.Truncate(time.Minute).Add(time.Minute); c.Before(from.AddDate(0, 0, 120)); c = c.Add(time.Minute) {
			if s.matchesBrute(c) {
				want = c
				break
			}
		}
		if want.IsZero() {
			if !got.IsZero() && got.Before(from.AddDate(0, 0, 120)) {
				t.Errorf("%q from %v: Next = %v, scan found none", spec, from, got)
			}
			continue
		}
		if !got.Equal(want) {
			t.Errorf("%q from %v: Next = %v, scan = %v", spec, from, got, want)
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"* * * * *", "*/5 1-3 1,15 JAN-MAR mon-fri", "@hourly", "@every 1h30m", "TZ=UTC 0 0 * * *",
		"CRON_TZ=Asia/Tokyo 0 9 * * 1", "0 0 30 2 *", "59 23 31 12 6", "1-59/7 */3 ? * ?", "60 * * * *",
	} {
		f.Add(s)
	}
	from := time.Date(2026, 3, 8, 1, 59, 30, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := Parse(spec)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		next := s.Next(from)
		if next.IsZero() {
			return
		}
		if !next.After(from) {
			t.Fatalf("%q: Next(%v) = %v, not after", spec, from, next)
		}
		if s.every == 0 {
			if !s.matchesBrute(next) {
				t.Fatalf("%q: Next(%v) = %v, which the schedule does not match", spec, from, next)
			}
			if next.After(from.AddDate(6, 0, 0)) {
				t.Fatalf("%q: Next(%v) = %v, beyond the search limit", spec, from, next)
			}
		}
	})
}

func BenchmarkNext(b *testing.B) {
	for _, spec := range []string{"*/5 * * * *", "0 9 * * MON-FRI", "0 0 29 2 *"} {
		s, err := Parse(spec)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(spec, func(b *testing.B) {
			t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			b.ReportAllocs()
			for b.Loop() {
				_ = s.Next(t)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("*/15 9-17 1,15 JAN-JUN MON-FRI"); err != nil {
			b.Fatal(err)
		}
	}
}
