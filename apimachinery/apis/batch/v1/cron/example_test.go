package cron_test

import (
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis/batch/v1/cron"
)

func ExampleParse() {
	s, err := cron.Parse("0 9 * * MON-FRI")
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, time.November, 20, 10, 0, 0, 0, time.UTC) // a Friday
	for range 3 {
		t = s.Next(t)
		fmt.Println(t.Format("Mon 2006-01-02 15:04"))
	}
	_, err = cron.Parse("0 25 * * *")
	fmt.Println(err)
	// Output:
	// Mon 2026-11-23 09:00
	// Tue 2026-11-24 09:00
	// Wed 2026-11-25 09:00
	// parse schedule "0 25 * * *": invalid schedule: hour value 25 out of range [0, 23]
}
