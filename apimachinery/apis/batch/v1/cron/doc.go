// Package cron parses the cron schedules of CronJob objects and computes their activation
// times.
//
// The syntax is the one Kubernetes accepts in CronJob.spec.schedule: five fields (minute, hour,
// day of month, month, day of week) with values, ranges, steps, lists and month and weekday
// names; the macros @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly;
// "@every <duration>"; and an optional "TZ=<zone> " or "CRON_TZ=<zone> " prefix.
//
// Usage: parse once, then ask for activation times as often as needed:
//
//	s, err := cron.Parse("*/15 9-17 * * MON-FRI")
//	if err != nil { ... }          // errors wrap cron.ErrInvalid
//	next := s.Next(now)            // the first activation strictly after now
//
// A Schedule is immutable after Parse and safe for concurrent use by many goroutines. The
// package has no state of its own: the current time is always passed in, so callers use
// whatever clock they are given. Time zones are loaded with time.LoadLocation, so a program
// that must not depend on the host's zoneinfo should import time/tzdata.
package cron
