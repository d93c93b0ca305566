package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// tokenPrefix starts every admin token, so that leaked tokens are easy to
// recognise.
const tokenPrefix = "pollen_"

// Tokens makes and checks the admin tokens of the API.
type Tokens struct {
	store *models.Store
}

// NewTokens makes the admin tokens kept in store.
func NewTokens(store *models.Store) *Tokens { return &Tokens{store: store} }

// CreateToken makes a new admin token called name and returns it. Only its
// hash is stored: the token cannot be shown again. It returns a 422
// *apperr.Error for a name empty or too long, a 409 *apperr.Error
// if the name is taken, or the store's error.
func (t *Tokens) CreateToken(ctx context.Context, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", apperr.Errorf(apperr.Unprocessable, "a token needs a name of 1 to 100 characters")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	err := t.store.Tokens.Create(ctx, &models.APIToken{Name: name, Hash: hashToken(token)})
	if errors.Is(err, models.ErrConflict) {
		return "", apperr.Errorf(apperr.Conflict, "a token called %q exists already", name)
	}
	return token, err
}

// Authenticate checks an admin token. It returns a 401 *apperr.Error
// when the token is missing, unknown or revoked, or the store's error.
func (t *Tokens) Authenticate(ctx context.Context, token string) error {
	if token == "" {
		return apperr.Errorf(apperr.Unauthorized, "this needs an admin token: Authorization: Bearer TOKEN")
	}
	_, err := t.store.Tokens.ByHash(ctx, hashToken(token))
	if errors.Is(err, models.ErrNotFound) {
		return apperr.Errorf(apperr.Unauthorized, "the token is not valid or has been revoked")
	}
	return err
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
