package main

import (
	"bufio"
	"fmt"
	"io"
	"time"
)

// Traffic of the backfilled objective: per replica, per minute.
const (
	goodPerMinute = 999
	badPerMinute  = 1
	objective     = "o0"
)

var replicas = []string{"a", "b"}

// writeOpenMetrics writes days of one-minute samples ending at end: the
// replicas' raw counters, and what each variant's rules would have recorded
// over that time, so that their range selectors read as much data as in
// production: old's slo:events:increase5m, new's running total, its origin
// and (for the last hour) the per-series values it saw.
func writeOpenMetrics(w io.Writer, end time.Time, days int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	last := end.Unix() / 60 * 60
	start := last - int64(days)*86400
	n := int((last-start)/60) + 1
	at := func(i int) int64 { return start + int64(i)*60 }
	outcomes := []struct {
		name string
		rate int64
	}{{"good", goodPerMinute}, {"bad", badPerMinute}}

	fmt.Fprintln(bw, "# TYPE slo_events counter")
	for _, inst := range replicas {
		for _, o := range outcomes {
			for i := range n {
				fmt.Fprintf(bw, "slo_events_total{instance=%q,job=\"shop\",slo_name=%q,slo_outcome=%q} %d %d\n",
					inst, objective, o.name, int64(i)*o.rate, at(i))
			}
		}
	}
	fmt.Fprintln(bw, "# TYPE slo:events:increase5m gauge")
	for _, o := range outcomes {
		for i := range n {
			fmt.Fprintf(bw, "slo:events:increase5m{slo_name=%q,slo_outcome=%q} %d %d\n",
				objective, o.name, o.rate*int64(len(replicas))*5, at(i))
		}
	}
	fmt.Fprintln(bw, "# TYPE slo:events:total gauge")
	for _, o := range outcomes {
		for i := range n {
			fmt.Fprintf(bw, "slo:events:total{slo_name=%q,slo_outcome=%q} %d %d\n",
				objective, o.name, o.rate*int64(len(replicas))*int64(i), at(i))
		}
	}
	fmt.Fprintln(bw, "# TYPE slo:events:origin gauge")
	for i := range n {
		fmt.Fprintf(bw, "slo:events:origin{slo_name=%q} %d %d\n", objective, start, at(i))
	}
	fmt.Fprintln(bw, "# TYPE slo:events:seen gauge")
	for _, inst := range replicas {
		for _, o := range outcomes {
			for i := range n {
				if at(i) >= last-3600 {
					fmt.Fprintf(bw, "slo:events:seen{instance=%q,job=\"shop\",slo_name=%q,slo_outcome=%q} %d %d\n",
						inst, objective, o.name, int64(i)*o.rate, at(i))
				}
			}
		}
	}
	fmt.Fprintln(bw, "# EOF")
	return bw.Flush()
}
