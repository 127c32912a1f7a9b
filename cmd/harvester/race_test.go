//go:build race

package main

// raceEnabled: under the race detector (many times slower) the
// distributed tests sweep two counties of different families, not six.
const raceEnabled = true
