// Command gen writes the example county catalogues to examples/:
// county-catalogue.xlsx (faithful: no findings) and
// county-catalogue-faults.xlsx (planted faults, listed in its 说明 sheet).
// Run from the module root: go run ./catalogue/review/internal/examplecat/gen
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"gongkai/catalogue/review/internal/examplecat"
)

func main() {
	out := flag.String("out", "examples", "directory to write the example catalogues to")
	flag.Parse()
	faithful, err := examplecat.XLSX(examplecat.FaithfulTitle, examplecat.Faithful(), nil)
	if err != nil {
		log.Fatal(err)
	}
	save(faithful, filepath.Join(*out, "county-catalogue.xlsx"))
	rows, planted := examplecat.Faults()
	faults, err := examplecat.XLSX(examplecat.FaultsTitle, rows, examplecat.FaultsNotes(planted))
	if err != nil {
		log.Fatal(err)
	}
	save(faults, filepath.Join(*out, "county-catalogue-faults.xlsx"))
}

func save(f *excelize.File, path string) {
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		log.Fatal(err)
	}
}
