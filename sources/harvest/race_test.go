//go:build race

package harvest_test

// raceEnabled: under the race detector (ten times slower, the SQLite store
// most of all) the secondary end-to-end tests sweep two counties of
// different families instead of six.
const raceEnabled = true
