package config

import (
	"fmt"
	"slices"
)

// Preset is the shape of one CMS family: the rules a column of that family
// gets unless it overrides them. Empty selector fields leave the decision
// to the parser's heuristics, which cover the variants sites.md records.
//
// The families themselves live in package sources/cms, one file each with
// its preset and its paging; each registers its preset from init. config
// holds only the type and the registry because cms imports config (for
// Column) and not the other way round: a program that loads sites.yaml
// imports gongkai/sources/cms (directly or through the harvester), and
// Parse says so plainly when it did not.
type Preset struct {
	Name   string
	List   ListRule
	Paging PagingRule
	Detail DetailRule
}

var presets = map[string]Preset{}

// RegisterPreset makes a CMS family's preset known to the loader under its
// name. It is meant for init functions; registering a name twice panics.
func RegisterPreset(p Preset) {
	if _, dup := presets[p.Name]; dup || p.Name == "" {
		panic(fmt.Sprintf("config: preset %q registered twice or unnamed", p.Name))
	}
	presets[p.Name] = p
}

// LookupPreset returns the preset with the given name.
func LookupPreset(name string) (Preset, bool) {
	p, ok := presets[name]
	return p, ok
}

func presetNames() []string {
	var names []string
	for n := range presets {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// DefaultNaming is the naming a column of this preset gets when its paging
// rule names none: the kind's own (intertid, list-n, create-page-html →
// trs), and for count-var the preset's own (an intertid site keeps its
// index_2 naming when only the way the count is read changes; trs when the
// preset names pages some other way).
func (p Preset) DefaultNaming(kind string) string {
	switch kind {
	case PagingIntertid:
		return NamingIntertid
	case PagingListN:
		return NamingListN
	case PagingCreatePageHTML:
		return NamingTRS
	case PagingCountVar:
		if p.Paging.Naming != "" {
			return p.Paging.Naming
		}
		return NamingTRS
	}
	return ""
}

// overlay returns base with every non-empty field of top replacing it.
func (base ListRule) overlay(top ListRule) ListRule {
	if top.Item != "" {
		base.Item = top.Item
	}
	if top.Link != "" {
		base.Link = top.Link
	}
	if top.Title != "" {
		base.Title = top.Title
	}
	if top.Date != "" {
		base.Date = top.Date
	}
	if top.DocNo != "" {
		base.DocNo = top.DocNo
	}
	if top.LinkPattern != nil {
		base.LinkPattern = top.LinkPattern
	}
	return base
}

func (base PagingRule) overlay(top PagingRule) PagingRule {
	if top.Kind != "" && top.Kind != base.Kind {
		// A different paging kind starts from a clean rule: a preset's
		// parameters mean nothing to another kind.
		base = PagingRule{Kind: top.Kind}
	}
	if top.Param != "" {
		base.Param = top.Param
	}
	if top.Start != 0 {
		base.Start = top.Start
	}
	if top.PerPage != 0 {
		base.PerPage = top.PerPage
	}
	if top.Template != "" {
		base.Template = top.Template
	}
	if top.Naming != "" {
		base.Naming = top.Naming
	}
	if top.API != nil {
		base.API = top.API
	}
	if len(top.Form) > 0 {
		form := map[string]string{}
		for k, v := range base.Form {
			form[k] = v
		}
		for k, v := range top.Form {
			form[k] = v
		}
		base.Form = form
	}
	return base
}

func (base DetailRule) overlay(top DetailRule) DetailRule {
	if top.Title != "" {
		base.Title = top.Title
	}
	if top.Date != "" {
		base.Date = top.Date
	}
	if top.Body != "" {
		base.Body = top.Body
	}
	if top.Metadata != "" {
		base.Metadata = top.Metadata
	}
	if top.Attachments != "" {
		base.Attachments = top.Attachments
	}
	return base
}
