// Command gen writes examples/records.csv and examples/records.xlsx from
// the table in records/internal/exampledata.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"gongkai/records/internal/exampledata"
)

func main() {
	out := flag.String("out", "../examples", "directory to write records.csv and records.xlsx to")
	flag.Parse()
	if err := os.WriteFile(filepath.Join(*out, "records.csv"), exampledata.CSV(), 0o644); err != nil {
		log.Fatal(err)
	}
	f, err := exampledata.XLSX()
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(*out, "records.xlsx")); err != nil {
		log.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(*out, "records.xlsx"), 0o644); err != nil {
		log.Fatal(err)
	}
}
