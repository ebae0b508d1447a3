package cron

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every error Parse returns.
var ErrInvalid = errors.New("invalid schedule")

// Schedule is a parsed cron schedule, as CronJob.spec.schedule holds it. It is immutable and
// safe for concurrent use.
//
// The syntax is the standard five fields "minute hour day-of-month month day-of-week" that
// Kubernetes accepts (the robfig/cron standard parser): each field is "*" (or "?" in the day
// fields), a value, a range "a-b", a step "*/n", "a-b/n" or "a/n" (from a to the field's
// maximum), or a comma-separated list of those. Months may be named JAN-DEC and days of the
// week SUN-SAT (case does not matter); Sunday is 0. When both the day of month and the day of
// week are restricted, a day matches if either matches. The macros @yearly (@annually),
// @monthly, @weekly, @daily (@midnight) and @hourly stand for their five-field forms, and
// "@every <duration>" runs at a fixed interval of at least one second. A prefix "TZ=<zone> "
// or "CRON_TZ=<zone> " evaluates the schedule in that IANA time zone.
type Schedule struct {
	minute, hour, dom, month, dow uint64
	// domStar and dowStar record that the day fields were "*" or "?", which makes the other
	// day field alone decide.
	domStar, dowStar bool
	every            time.Duration
	loc              *time.Location
}

type cronField struct {
	name     string
	min, max uint
	names    map[string]uint
}

func monthNames() map[string]uint {
	return map[string]uint{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
}

func dayNames() map[string]uint {
	return map[string]uint{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
}

func cronFields() [5]cronField {
	return [5]cronField{
		{name: "minute", min: 0, max: 59},
		{name: "hour", min: 0, max: 23},
		{name: "day of month", min: 1, max: 31},
		{name: "month", min: 1, max: 12, names: monthNames()},
		{name: "day of week", min: 0, max: 6, names: dayNames()},
	}
}

func macro(name string) (string, bool) {
	switch name {
	case "@yearly", "@annually":
		return "0 0 1 1 *", true
	case "@monthly":
		return "0 0 1 * *", true
	case "@weekly":
		return "0 0 * * 0", true
	case "@daily", "@midnight":
		return "0 0 * * *", true
	case "@hourly":
		return "0 * * * *", true
	}
	return "", false
}

func parseError(spec, format string, args ...any) error {
	return fmt.Errorf("parse schedule %q: %w: %s", spec, ErrInvalid, fmt.Sprintf(format, args...))
}

// Parse parses a cron schedule (see Schedule). Errors wrap ErrInvalid.
func Parse(spec string) (*Schedule, error) {
	s := &Schedule{}
	rest := strings.TrimSpace(spec)
	if rest == "" {
		return nil, parseError(spec, "empty spec string")
	}
	if strings.HasPrefix(rest, "TZ=") || strings.HasPrefix(rest, "CRON_TZ=") {
		_, after, _ := strings.Cut(rest, "=")
		zone, tail, ok := strings.Cut(after, " ")
		if !ok {
			return nil, parseError(spec, "time zone prefix without a schedule")
		}
		loc, err := LoadLocation(zone)
		if err != nil {
			return nil, parseError(spec, "provided bad location %s: %v", zone, err)
		}
		s.loc = loc
		rest = strings.TrimSpace(tail)
	}
	if strings.HasPrefix(rest, "@") {
		if d, ok := strings.CutPrefix(rest, "@every "); ok {
			dur, err := time.ParseDuration(strings.TrimSpace(d))
			if err != nil {
				return nil, parseError(spec, "failed to parse duration %s: %v", d, err)
			}
			if dur < time.Second {
				return nil, parseError(spec, "interval %s is shorter than one second", dur)
			}
			s.every = dur.Truncate(time.Second)
			return s, nil
		}
		m, ok := macro(rest)
		if !ok {
			return nil, parseError(spec, "unrecognized descriptor: %s", rest)
		}
		rest = m
	}
	fields := strings.Fields(rest)
	if len(fields) != 5 {
		return nil, parseError(spec, "expected exactly 5 fields, found %d: %s", len(fields), rest)
	}
	defs := cronFields()
	var sets [5]uint64
	for i, f := range fields {
		set, star, err := parseCronField(f, defs[i])
		if err != nil {
			return nil, parseError(spec, "%v", err)
		}
		sets[i] = set
		switch i {
		case 2:
			s.domStar = star
		case 4:
			s.dowStar = star
		}
	}
	s.minute, s.hour, s.dom, s.month, s.dow = sets[0], sets[1], sets[2], sets[3], sets[4]
	return s, nil
}

// LoadLocation loads an IANA zone, refusing the empty name and "Local", whose meaning
// depends on the machine.
func LoadLocation(zone string) (*time.Location, error) {
	if zone == "" || strings.EqualFold(zone, "local") {
		return nil, fmt.Errorf("not an explicit IANA time zone")
	}
	return time.LoadLocation(zone)
}

// parseCronField returns the set of values a field allows, and whether it was "*" or "?".
func parseCronField(field string, def cronField) (uint64, bool, error) {
	var set uint64
	star := false
	for _, part := range strings.Split(field, ",") {
		bitsOf, isStar, err := parseCronRange(part, def)
		if err != nil {
			return 0, false, err
		}
		star = star || isStar
		set |= bitsOf
	}
	return set, star, nil
}

func parseCronValue(s string, def cronField) (uint, error) {
	if def.names != nil {
		if v, ok := def.names[strings.ToLower(s)]; ok {
			return v, nil
		}
	}
	if s == "" {
		return 0, fmt.Errorf("empty value in %s field", def.name)
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("failed to parse %s value %q", def.name, s)
	}
	v := uint(n)
	if v < def.min || v > def.max {
		return 0, fmt.Errorf("%s value %d out of range [%d, %d]", def.name, v, def.min, def.max)
	}
	return v, nil
}

func parseCronRange(part string, def cronField) (uint64, bool, error) {
	rangePart, stepPart, hasStep := strings.Cut(part, "/")
	var lo, hi uint
	star := false
	switch {
	case rangePart == "*" || rangePart == "?":
		if rangePart == "?" && def.name != "day of month" && def.name != "day of week" {
			return 0, false, fmt.Errorf("'?' is only allowed in the day fields")
		}
		lo, hi, star = def.min, def.max, !hasStep
	default:
		a, b, isRange := strings.Cut(rangePart, "-")
		var err error
		if lo, err = parseCronValue(a, def); err != nil {
			return 0, false, err
		}
		hi = lo
		if isRange {
			if hi, err = parseCronValue(b, def); err != nil {
				return 0, false, err
			}
		} else if hasStep {
			hi = def.max
		}
		if lo > hi {
			return 0, false, fmt.Errorf("beginning of %s range (%d) beyond end of range (%d)", def.name, lo, hi)
		}
	}
	step := uint(1)
	if hasStep {
		n, err := strconv.ParseUint(stepPart, 10, 16)
		if err != nil || n == 0 {
			return 0, false, fmt.Errorf("invalid step %q in %s field", stepPart, def.name)
		}
		step = uint(n)
	}
	var set uint64
	for v := lo; v <= hi; v += step {
		set |= 1 << v
	}
	return set, star, nil
}

// Location returns the time zone the schedule names with a TZ= or CRON_TZ= prefix, or nil.
func (s *Schedule) Location() *time.Location { return s.loc }

// Next returns the first activation strictly after t, in t's location. A schedule with a time
// zone is evaluated in that zone; others in t's location. It returns the zero Time when no
// activation exists in the next five years (such as "0 0 30 2 *", February 30th).
func (s *Schedule) Next(t time.Time) time.Time {
	if s.every > 0 {
		return t.Truncate(time.Second).Add(s.every)
	}
	orig := t.Location()
	loc := orig
	if s.loc != nil {
		loc = s.loc
	}
	t = t.In(loc)
	// Start at the next whole minute.
	t = t.Truncate(time.Minute).Add(time.Minute)
	limit := t.Year() + 5

wrap:
	if t.Year() > limit {
		return time.Time{}
	}
	for s.month&(1<<uint(t.Month())) == 0 {
		t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, loc)
		if t.Month() == time.January {
			goto wrap
		}
	}
	for !s.dayMatches(t) {
		t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)
		if t.Day() == 1 {
			goto wrap
		}
	}
	for s.hour&(1<<uint(t.Hour())) == 0 {
		next := time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, loc)
		if !next.After(t) { // a backward DST jump repeats an hour: step by absolute time
			next = t.Truncate(time.Hour).Add(time.Hour)
		}
		t = next
		if t.Hour() == 0 {
			goto wrap
		}
	}
	for s.minute&(1<<uint(t.Minute())) == 0 {
		t = t.Add(time.Minute)
		if t.Minute() == 0 {
			goto wrap
		}
	}
	return t.In(orig)
}

func (s *Schedule) dayMatches(t time.Time) bool {
	dom := s.dom&(1<<uint(t.Day())) != 0
	dow := s.dow&(1<<uint(t.Weekday())) != 0
	if s.domStar || s.dowStar {
		return dom && dow
	}
	return dom || dow
}
