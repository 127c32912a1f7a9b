// Package auditsetup turns the harvester configuration (sites.yaml) and the
// user's supplementary files into what audit.Build needs: the county
// catalogues, the calendar, the classification rules and the places where
// each county publishes what. The reporter commands and the demo share it,
// so that every entry point audits against the same setup.
package auditsetup

import (
	"fmt"
	"slices"
	"time"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/matcher"
	_ "gongkai/sources/cms" // the CMS families register the presets sites.yaml names
	"gongkai/sources/config"
)

// Setup is everything an audit needs besides the store, the dates and the filters.
type Setup struct {
	Config     *config.Config
	Catalogues map[string]*catalogue.Catalogue // by official county name
	Calendar   *calendar.Calendar
	Rules      *matcher.Rules
	Places     []audit.Place
}

// Load reads the configuration, the county catalogue variants it names,
// extra holiday files and an optional rules file.
func Load(configPath string, holidayFiles []string, rulesPath string) (*Setup, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		return nil, err
	}
	if len(cfg.Counties) == 0 {
		return nil, fmt.Errorf("%s: 配置中没有县区", configPath)
	}
	s := &Setup{Config: cfg, Catalogues: map[string]*catalogue.Catalogue{}, Calendar: calendar.Default(), Rules: matcher.DefaultRules()}
	base := catalogue.Default()
	for _, c := range cfg.Counties {
		cat := base
		if c.Catalogue != "" {
			if cat, err = catalogue.ApplyVariant(base, c.Catalogue); err != nil {
				return nil, fmt.Errorf("%s 的本级目录: %w", c.County, err)
			}
		}
		s.Catalogues[c.County] = cat
	}
	s.Places = Places(cfg, s.Catalogues)
	for _, h := range holidayFiles {
		if err := s.Calendar.LoadFile(h); err != nil {
			return nil, err
		}
	}
	if rulesPath != "" {
		if s.Rules, err = matcher.LoadRules(rulesPath); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Options returns Build's options for one as-of date, unfiltered.
func (s *Setup) Options(asOf calendar.Date, now time.Time) audit.Options {
	return audit.Options{
		AsOf:       asOf,
		Catalogues: s.Catalogues,
		Default:    catalogue.Default(),
		Calendar:   s.Calendar,
		Places:     s.Places,
		Now:        now,
		Rules:      s.Rules,
	}
}

// Places lists every place a record can be published: each column of each
// county's sources on the government website, and — when the configuration
// has it — the credit system, one place for all counties holding every item
// any county's catalogue publishes there.
func Places(cfg *config.Config, catalogues map[string]*catalogue.Catalogue) []audit.Place {
	var places []audit.Place
	for _, c := range cfg.Counties {
		for _, s := range c.Sources {
			for _, col := range s.Columns {
				places = append(places, audit.Place{County: c.County, Source: s.Name, Channel: catalogue.Website,
					Column: col.Name, Items: slices.Clone(col.Items), URL: col.URL, Kind: col.Kind})
			}
		}
	}
	if cfg.Credit != nil {
		var items []string
		for _, c := range cfg.Counties {
			cat := catalogues[c.County]
			if cat == nil {
				cat = catalogue.Default()
			}
			for _, it := range cat.Items {
				if it.HasChannel(catalogue.Credit) && !slices.Contains(items, it.Code) {
					items = append(items, it.Code)
				}
			}
		}
		slices.SortFunc(items, catalogue.CompareCodes)
		places = append(places, audit.Place{Source: cfg.Credit.Name, Channel: catalogue.Credit, Items: items})
	}
	return places
}
