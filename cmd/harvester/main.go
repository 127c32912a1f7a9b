// Command harvester syncs the configured publication sources into the store.
// Each subcommand lives in its own file and registers itself in init.
package main

import "gongkai/internal/cli"

var program = &cli.Program{Name: "harvester"}

func main() { program.Main() }
