package pages

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
)

// Notes reads the organisation's notes: one with the replies below it
// (not found for an unknown id, Gone for a deleted note), and the latest
// public ones that answer nothing.
type Notes interface {
	LocalNote(ctx context.Context, id string) (service.TimelineItem, []service.TimelineItem, error)
	LocalNotes(ctx context.Context, limit int) ([]service.TimelineItem, error)
}

// homeNotes is how many of its notes the organisation's page shows.
const homeNotes = 10

// Note serves a note's page at its IRI, with the replies below it.
// ActivityPub clients get the Note at the same IRI (routes.go in package
// handlers chooses).
func (h *Handler) Note(c echo.Context) error {
	it, replies, err := h.notes.LocalNote(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	title := "Note from " + it.Author.Name
	if it.Note.Summary != "" {
		title = it.Note.Summary
	}
	data := map[string]any{
		"Title": title, "Item": it, "Replies": replies, "ActivityURL": it.IRI,
		"Description": clip(it.Note.Source, 160),
		"Feeds":       feedLinks("/@"+h.cfg.Handle, nil, "Case studies from "+it.Author.Name),
	}
	return h.render(c, http.StatusOK, "note.html", data)
}

// clip is s cut to at most max characters, ending with "…" when cut.
func clip(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}
