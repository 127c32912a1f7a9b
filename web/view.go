package web

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/reports"
)

// query is the parsed view state of a URL: the scope of the audit and the
// filter over its findings.
type query struct {
	Scope  Scope
	Filter audit.Filter
	Raw    url.Values // the parameters as given, for links and the form
}

func split(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseQuery reads the view's parameters, with the as-of date defaulting
// to the last complete sweep's day.
func (s *Server) parseQuery(ctx context.Context, v url.Values) (*query, error) {
	q := &query{Raw: url.Values{}}
	for _, k := range []string{"as_of", "from", "to", "county", "item", "status", "channel", "q"} {
		if x := strings.TrimSpace(v.Get(k)); x != "" {
			q.Raw.Set(k, x)
		}
	}
	if a := q.Raw.Get("as_of"); a != "" {
		d, err := calendar.ParseDate(a)
		if err != nil {
			return nil, requestError{"截止日期 as_of " + quote(a) + " 不是有效日期（如 2020-12-31）"}
		}
		q.Scope.AsOf = d
	} else {
		d, err := s.defaultAsOf(ctx)
		if err != nil {
			return nil, err
		}
		q.Scope.AsOf = d
	}
	q.Scope.From, q.Scope.To, q.Scope.County = q.Raw.Get("from"), q.Raw.Get("to"), q.Raw.Get("county")
	items, err := s.env.ExpandItems(q.Raw.Get("item"))
	if err != nil {
		return nil, requestError{err.Error()}
	}
	if len(items) == 1 {
		q.Scope.Item = items[0] // the audit skips everything else, as `reporter query` does
	}
	q.Filter.Items = items
	if q.Filter.Statuses, err = audit.ParseStatuses(split(q.Raw.Get("status"))); err != nil {
		return nil, requestError{err.Error()}
	}
	if q.Filter.Channels, err = audit.ParseChannels(split(q.Raw.Get("channel"))); err != nil {
		return nil, requestError{err.Error()}
	}
	q.Filter.Text = q.Raw.Get("q")
	return q, nil
}

func quote(s string) string { return "“" + s + "”" }

// describe says in Chinese what the view is filtered on.
func (q *query) describe() []string {
	var out []string
	out = append(out, "截止 "+q.Scope.AsOf.String())
	if f, t := q.Raw.Get("from"), q.Raw.Get("to"); f != "" || t != "" {
		out = append(out, "期间 "+orDots(f)+" 至 "+orDots(t))
	}
	if c := q.Raw.Get("county"); c != "" {
		out = append(out, "县区 "+c)
	}
	if len(q.Filter.Items) > 0 {
		var names []string
		for _, i := range q.Filter.Items {
			names = append(names, i+" "+reports.ItemName(i))
		}
		out = append(out, "事项 "+strings.Join(names, "、"))
	}
	if len(q.Filter.Statuses) > 0 {
		var names []string
		for _, st := range q.Filter.Statuses {
			if st == audit.Flagged {
				names = append(names, "需关注")
			} else {
				names = append(names, st.Label())
			}
		}
		out = append(out, "状态 "+strings.Join(names, "、"))
	}
	if len(q.Filter.Channels) > 0 {
		out = append(out, "渠道 "+strings.Join(q.Filter.Channels, "、"))
	}
	if t := q.Raw.Get("q"); t != "" {
		out = append(out, "检索 "+quote(t))
	}
	return out
}

func orDots(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

// with returns the view's query string with some parameters changed
// ("" removes one).
func (q *query) with(kv ...string) string {
	v := url.Values{}
	for k, x := range q.Raw {
		v[k] = slices.Clone(x)
	}
	if v.Get("as_of") == "" {
		v.Set("as_of", q.Scope.AsOf.String())
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if e := v.Encode(); e != "" {
		return "?" + e
	}
	return ""
}

// filtered is the report of the view: the audit's report with only the
// findings that pass the filter (the renderers' input for the downloads).
func filtered(rep *audit.Report, f audit.Filter) *audit.Report {
	sub := *rep
	sub.Findings = f.Apply(rep.Findings)
	if sub.Findings == nil {
		sub.Findings = []audit.Finding{}
	}
	return &sub
}
