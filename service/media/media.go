// Package media keeps the images and PDFs uploaded to the node: it reads
// an upload with a bound, tells its type from its bytes (never its name:
// JPEG, PNG, GIF and WebP images and PDFs, nothing else), decodes an
// image within bounds on its pixels and encodes it again so that none of
// its metadata (EXIF, GPS, comments) is kept, and writes it to the media
// folder under the SHA-256 of its bytes, recorded in store.Media. The
// HTTP layer serves the files it names (Open).
package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// The bounds on an image's pixels, so that a small file that decodes to
// a huge picture (a decompression bomb) is refused before it is decoded.
const (
	// MaxSide is the most pixels an image may have on a side.
	MaxSide = 10_000
	// MaxPixels is the most pixels an image may have in all.
	MaxPixels = 40_000_000
	// MaxAltChars is the most characters an image's alt text may have.
	MaxAltChars = 1500
)

// Rows are the rows of the stored files (*models.Store's Media).
type Rows interface {
	Put(ctx context.Context, f models.MediaFile) (models.MediaFile, error)
	Get(ctx context.Context, id string) (models.MediaFile, error)
}

// Media is a stored upload: the file /media/{ID}.{Ext} on this node.
type Media struct {
	// ID is the SHA-256 (hex) of the stored bytes.
	ID string
	// Ext is the extension of the stored file: jpg, png, gif or pdf.
	Ext string
	// MediaType is the stored file's type: image/jpeg, image/png,
	// image/gif or application/pdf.
	MediaType string
	// Size is the stored file's length in bytes.
	Size int64
	// Width and Height are an image's pixels (0 for a PDF).
	Width, Height int
	// Filename is the name it is served under: the uploaded name,
	// sanitised, with Ext as its extension.
	Filename string
	// Alt is an image's text alternative (as Save was given it).
	Alt string
	// URL is its absolute URL on this node.
	URL string
}

// Name is the stored file's name: {ID}.{Ext}.
func (m Media) Name() string { return m.ID + "." + m.Ext }

// IsImage reports whether the file is an image (not a PDF).
func (m Media) IsImage() bool { return strings.HasPrefix(m.MediaType, "image/") }

// Store keeps the uploads in a folder and their rows in the database.
// Its methods are safe for concurrent use.
type Store struct {
	cfg  config.Config
	dir  string
	rows Rows
}

// New makes the store of the media folder cfg names (MediaPath), with
// the size limits it sets, over rows.
func New(cfg config.Config, rows Rows) *Store {
	return &Store{cfg: cfg, dir: cfg.MediaPath(), rows: rows}
}

// Save reads an upload from r (at most the larger size limit, and one
// byte more to tell that it is over), checks it, and keeps it: an image
// decoded and encoded again without its metadata, a PDF as it came. The
// same bytes saved twice are one file. filename is the name it was
// uploaded under (only its sanitised base name is kept, for downloads);
// alt is an image's text alternative, required for images. It returns
// an Unprocessable *apperr.Error naming the fields "file" and "alt" with
// what is wrong (too large, empty, a type that is not accepted, an image
// that cannot be read or is too large in pixels, no alt text), or the
// error of the folder or the database.
func (s *Store) Save(ctx context.Context, r io.Reader, filename, alt string) (Media, error) {
	limit := int64(s.cfg.MaxUploadBytes())
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Media{}, fmt.Errorf("media: read upload: %w", err)
	}
	if int64(len(data)) > limit {
		return Media{}, s.tooLarge(data, limit)
	}
	f, err := s.prepare(data)
	if err != nil {
		return Media{}, err
	}
	alt = strings.TrimSpace(alt)
	if f.isImage() {
		if msg := checkAlt(alt); msg != "" {
			return Media{}, invalid("alt", msg)
		}
	}
	row, err := s.keep(ctx, f, filename)
	if err != nil {
		return Media{}, err
	}
	m := s.media(row)
	m.Alt = alt
	return m, nil
}

// prepare checks data's type and size, and gives what is to be stored (Encoded):
// an image encoded again, a PDF as it is.
func (s *Store) prepare(data []byte) (Encoded, error) {
	if len(data) == 0 {
		return Encoded{}, invalid("file", "is empty: choose a file that has something in it")
	}
	kind, msg := Sniff(data)
	if msg != "" {
		return Encoded{}, invalid("file", msg)
	}
	if kind == PDF {
		if len(data) > s.cfg.MediaMaxPDFBytes {
			return Encoded{}, s.tooLarge(data, int64(len(data)))
		}
		return Encoded{Data: data, MediaType: "application/pdf", Ext: "pdf"}, nil
	}
	if len(data) > s.cfg.MediaMaxImageBytes {
		return Encoded{}, s.tooLarge(data, int64(len(data)))
	}
	p, err := Reencode(kind, data)
	if err != nil {
		var e *apperr.Error
		if errors.As(err, &e) {
			return Encoded{}, e
		}
		return Encoded{}, invalid("file", fmt.Sprintf("could not be read as a %s image: it may be damaged", kind))
	}
	return p, nil
}

// tooLarge is the refusal of a file over its kind's limit (over limit,
// the larger of the two, when its kind is not told).
func (s *Store) tooLarge(data []byte, limit int64) error {
	switch kind, _ := Sniff(data); kind {
	case PDF:
		return invalid("file", fmt.Sprintf("is a PDF larger than %s, the most a PDF may be", Size(int64(s.cfg.MediaMaxPDFBytes))))
	case "":
		return invalid("file", fmt.Sprintf("is larger than %s, the most a file may be", Size(limit)))
	}
	return invalid("file", fmt.Sprintf("is an image larger than %s, the most an image may be", Size(int64(s.cfg.MediaMaxImageBytes))))
}

// checkAlt says what is wrong with an image's alt text, or "".
func checkAlt(alt string) string {
	switch {
	case alt == "":
		return "is required for an image: describe what it shows for people who cannot see it"
	case utf8.RuneCountInString(alt) > MaxAltChars:
		return fmt.Sprintf("must be at most %d characters", MaxAltChars)
	case !utf8.ValidString(alt) || strings.IndexByte(alt, 0) >= 0:
		return "must be text"
	}
	return ""
}

// keep writes the prepared file to the folder (unless it is there
// already) and records its row.
func (s *Store) keep(ctx context.Context, f Encoded, filename string) (models.MediaFile, error) {
	id := f.sum()
	row := models.MediaFile{ID: id, MediaType: f.MediaType, Ext: f.Ext, Size: int64(len(f.Data)),
		Width: f.Width, Height: f.Height, Filename: CleanFilename(filename, f.Ext)}
	path := s.path(row.ID, row.Ext)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := writeAtomically(path, f.Data); err != nil {
			return models.MediaFile{}, fmt.Errorf("media: write %s: %w", filepath.Base(path), err)
		}
	}
	row, err := s.rows.Put(ctx, row)
	if err != nil {
		return models.MediaFile{}, fmt.Errorf("media: record %s: %w", id, err)
	}
	return row, nil
}

// path is where the file of the id is kept: in a folder named by the
// id's first two characters, so that no folder holds too many files.
func (s *Store) path(id, ext string) string {
	return filepath.Join(s.dir, id[:2], id+"."+ext)
}

// writeAtomically writes data to a temporary file beside path and
// renames it there, so that a reader never sees half a file.
func writeAtomically(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// media is the row as the store hands it out.
func (s *Store) media(f models.MediaFile) Media {
	return Media{ID: f.ID, Ext: f.Ext, MediaType: f.MediaType, Size: f.Size, Width: f.Width, Height: f.Height,
		Filename: f.Filename, URL: s.cfg.URL("/media/" + f.ID + "." + f.Ext)}
}

// namePattern is a stored file's name: a SHA-256 in hex and an extension.
var namePattern = regexp.MustCompile(`^([0-9a-f]{64})\.(jpg|png|gif|pdf)$`)

// Open returns the stored file of the name ({ID}.{Ext}, as Media.Name
// gives it) and its file, open for reading; the caller closes it. It
// returns a NotFound *apperr.Error for a name that is not a stored
// file's.
func (s *Store) Open(ctx context.Context, name string) (Media, *os.File, error) {
	m := namePattern.FindStringSubmatch(name)
	if m == nil {
		return Media{}, nil, apperr.Errorf(apperr.NotFound, "no such file")
	}
	row, err := s.rows.Get(ctx, m[1])
	if errors.Is(err, models.ErrNotFound) || (err == nil && row.Ext != m[2]) {
		return Media{}, nil, apperr.Errorf(apperr.NotFound, "no such file")
	}
	if err != nil {
		return Media{}, nil, fmt.Errorf("media: open %s: %w", name, err)
	}
	file, err := os.Open(s.path(row.ID, row.Ext))
	if errors.Is(err, os.ErrNotExist) {
		return Media{}, nil, apperr.Wrap(apperr.NotFound, err, "no such file")
	}
	if err != nil {
		return Media{}, nil, fmt.Errorf("media: open %s: %w", name, err)
	}
	return s.media(row), file, nil
}

// invalid is the Unprocessable error naming one field.
func invalid(field, msg string) error {
	return apperr.InvalidFields(map[string]string{field: msg})
}

// Size writes n bytes for people: "8 MB", "512 KB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
