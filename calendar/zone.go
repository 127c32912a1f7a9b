package calendar

import "time"

// China is the time zone of mainland China (UTC+8, no daylight saving):
// the sites' clocks, the working-day calendar and the auditor's reports all
// keep it (no daylight saving since 1991; a fixed zone avoids depending on
// the host's tzdata). The one definition of it in the project.
var China = time.FixedZone("CST", 8*3600)
