// Package attach extracts what matching needs from attachments: table rows
// from spreadsheets and CSV, text from DOCX and from PDFs with a text layer.
package attach

import (
	"errors"

	"gongkai/store"
)

// Extract reads an attachment. name is the file name or link text (its
// extension helps when the media type is vague).
func Extract(name, mediaType string, data []byte) (string, []store.Sheet, error) {
	return "", nil, errors.New("尚未实现")
}
