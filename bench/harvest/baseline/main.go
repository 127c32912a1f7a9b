// Command baseline is the bench's yardstick: a minimal colly crawler that
// fetches a given list of requests (the ones the harvester made) as fast as
// colly goes with the same concurrency. Like any colly crawler it reads each
// HTML page's links (OnHTML "a[href]"), but it keeps nothing: no state, no
// evidence, no store. With --parse=false it does not even parse the pages.
//
//	baseline --requests reqs.jsonl --parallel 12 [--parse=false]
//
// It prints one JSON line: {"requests":N,"errors":E,"links":L,"seconds":S,"peak_rss_kib":K}.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"gongkai/bench/internal/machine"
	"os"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
)

// request is one line of the harvester's request log.
type request struct {
	Method string            `json:"method"`
	URL    string            `json:"url"`
	Form   map[string]string `json:"form,omitempty"`
}

func main() {
	path := flag.String("requests", "", "request log (JSON lines) written by the bench's harvest run")
	parallel := flag.Int("parallel", 6, "requests in flight")
	parse := flag.Bool("parse", true, "read each HTML page's links, as a crawler does")
	flag.Parse()
	f, err := os.Open(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var reqs []request
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r request
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		reqs = append(reqs, r)
	}
	f.Close()

	c := colly.NewCollector(colly.Async(true), colly.AllowURLRevisit(), colly.IgnoreRobotsTxt())
	c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: *parallel})
	var done, failed, links atomic.Int64
	c.OnResponse(func(*colly.Response) { done.Add(1) })
	if *parse {
		c.OnHTML("a[href]", func(e *colly.HTMLElement) {
			if e.Request.AbsoluteURL(e.Attr("href")) != "" {
				links.Add(1)
			}
		})
	}
	c.OnError(func(*colly.Response, error) { done.Add(1); failed.Add(1) })
	start := time.Now()
	for _, r := range reqs {
		if r.Method == "POST" {
			c.Post(r.URL, r.Form)
		} else {
			c.Visit(r.URL)
		}
	}
	c.Wait()
	elapsed := time.Since(start)
	json.NewEncoder(os.Stdout).Encode(map[string]any{"requests": done.Load(), "errors": failed.Load(), "links": links.Load(),
		"seconds": elapsed.Seconds(), "peak_rss_kib": machine.PeakRSSKiB()})
}
