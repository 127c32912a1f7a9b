package config

import "gongkai/region"

// Divisions are the configured counties as a region.Set (name, code and
// short name), for the steps that must accept exactly these counties
// (records import).
func (c *Config) Divisions() region.Set {
	var s region.Set
	for _, county := range c.Counties {
		s = append(s, region.County{Code: county.Code, Name: county.County, Short: region.ShortName(county.County)})
	}
	return s
}
