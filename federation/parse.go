package federation

import (
	"errors"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// parseActivity is ap.ParseActivity with its refusals as *apperr.Error: 413 for
// ap.ErrTooLarge, 400 for ap.ErrMalformed, each with the parser's message.
func parseActivity(body []byte) (ap.Activity, error) {
	a, err := ap.ParseActivity(body)
	return a, parseError(err)
}

// parseObject is ap.ParseObject with its refusals as *apperr.Error, as
// parseActivity.
func parseObject(body []byte) (ap.Object, error) {
	o, err := ap.ParseObject(body)
	return o, parseError(err)
}

// parseError maps a refusal of package ap to the *apperr.Error that answers it.
func parseError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ap.ErrTooLarge):
		return &apperr.Error{Kind: apperr.TooLarge, Message: err.Error()}
	case errors.Is(err, ap.ErrMalformed):
		return &apperr.Error{Kind: apperr.Invalid, Message: err.Error()}
	}
	return err
}
