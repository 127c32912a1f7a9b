// Command reporter imports expected records and produces the coverage and
// timeliness reports. Each subcommand lives in its own file and registers
// itself in init.
package main

import "gongkai/internal/cli"

var program = &cli.Program{Name: "reporter"}

func main() { program.Main() }
