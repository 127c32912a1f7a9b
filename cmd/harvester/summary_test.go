package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/sources/credit"
	"gongkai/sources/harvest"
)

func TestSummarySaysWhichCreditLookupsWereMade(t *testing.T) {
	oldest := time.Date(2021, 1, 7, 20, 5, 0, 0, calendar.China)
	for _, tc := range []struct {
		name string
		c    harvest.CreditSummary
		want string
	}{
		{"incremental", harvest.CreditSummary{Targets: 130, Looked: 3, Carried: 127, OldestCarried: oldest,
			Why: map[credit.Why]int{credit.Unobserved: 2, credit.NewlyDue: 1}},
			"国家企业信用信息公示系统: 信用查询：本次查询 3 家（上次未能查看 2、新到期 1），沿用上次观察 127 家（最早一次查询于 2021-01-07 20:05；每 full_every 次采集或 --full 时全部重查）"},
		{"full", harvest.CreditSummary{Targets: 130, Looked: 130, Why: map[credit.Why]int{credit.Full: 130}},
			"国家企业信用信息公示系统: 信用查询：本次查询 130 家（完整重查 130）\n"},
		{"interrupted", harvest.CreditSummary{Targets: 5, Looked: 1, Why: map[credit.Why]int{credit.Never: 5}},
			"信用查询：本次查询 1 家（未查询过 5），4 家因中断未查询\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			c := tc.c
			printSummary(&b, []harvest.Summary{{Source: "国家企业信用信息公示系统", Complete: true, Credit: &c}})
			if !strings.Contains(b.String(), tc.want) {
				t.Errorf("summary lacks %q:\n%s", tc.want, b.String())
			}
			if strings.Contains(b.String(), "没有需要在该系统查询") {
				t.Errorf("summary says there was nothing to look up:\n%s", b.String())
			}
		})
	}
	var b bytes.Buffer
	printSummary(&b, []harvest.Summary{{Source: "国家企业信用信息公示系统", Complete: true, Credit: &harvest.CreditSummary{}}})
	if !strings.Contains(b.String(), "没有需要在该系统查询的应公开记录") || strings.Contains(b.String(), "信用查询：") {
		t.Errorf("no targets:\n%s", b.String())
	}
}
