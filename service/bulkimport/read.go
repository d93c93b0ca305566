// Package bulkimport reads case studies in bulk, from a folder of
// Markdown files with YAML front matter or from a CSV file whose header
// row names the fields, and stores them one by one through the case
// studies' service (Import): each row is published or updated in its own
// transaction, so a bad row fails alone and leaves nothing half-stored.
package bulkimport

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// Row is one case study as read: from a Markdown file or a line of a CSV
// file.
type Row struct {
	// Source names the row in a report: the file's name, or "line N" of
	// the CSV file (the line its record starts on).
	Source string
	Input  service.CaseStudyInput
	// Err is why the row cannot be imported as read: a 400 or 422
	// *apperr.Error naming its fields. The row is not imported.
	Err error
}

// Read reads the rows at path: a folder's Markdown files (*.md, in the
// order of their names; other files and subfolders are not read), one
// Markdown file, or a CSV file (*.csv). It returns an error, and no rows,
// for a path it cannot read or a CSV file it refuses (see ReadCSV):
// nothing should be imported then.
func Read(path string) ([]Row, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case info.IsDir():
		return ReadFolder(path)
	case ext == ".csv":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		rows, err := ReadCSV(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return rows, nil
	case ext == ".md":
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return []Row{ReadMarkdown(filepath.Base(path), data)}, nil
	}
	return nil, fmt.Errorf("%s is neither a folder, a Markdown file (.md) nor a CSV file (.csv)", path)
}

// ReadFolder reads the Markdown files (*.md) of dir, in the order of their
// names; a file it cannot parse is a row with its Err.
func ReadFolder(dir string) ([]Row, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var rows []Row
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.EqualFold(filepath.Ext(e.Name()), ".md") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			rows = append(rows, Row{Source: e.Name(), Err: err})
			continue
		}
		rows = append(rows, ReadMarkdown(e.Name(), data))
	}
	return rows, nil
}

// ReadMarkdown reads one Markdown file named name (as `pollen publish`
// does: service.ParseCaseStudyFile); its slug, unless the front matter
// gives one, is made from the file's name.
func ReadMarkdown(name string, data []byte) Row {
	in, err := service.ParseCaseStudyFile(name, data)
	if ae, ok := err.(*apperr.Error); ok {
		// The report names the file already.
		ae.Message = strings.TrimPrefix(ae.Message, name+": ")
	}
	return Row{Source: name, Input: in, Err: err}
}
