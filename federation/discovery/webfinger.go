package discovery

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// JRD is a WebFinger answer (RFC 7033).
type JRD struct {
	Subject string   `json:"subject"`
	Aliases []string `json:"aliases,omitempty"`
	Links   []Link   `json:"links"`
}

// Link is one link of a JRD or host-meta document.
type Link struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// WebFinger answers a WebFinger query for resource: acct:handle@host (host
// with its port when the base URL has one) or an actor's IRI or profile URL.
// It returns a 400 *apperr.Error for a malformed resource and a 404 *apperr.Error for one
// that is not here.
func (s *Discovery) WebFinger(ctx context.Context, resource string) (JRD, error) {
	handle, err := s.handleOf(resource)
	if err != nil {
		return JRD{}, err
	}
	a, err := s.store.Actors.Local(ctx, handle)
	if errors.Is(err, models.ErrNotFound) {
		return JRD{}, apperr.Errorf(apperr.NotFound, "no actor %q here", resource)
	}
	if err != nil {
		return JRD{}, err
	}
	avatar := a.IconURL
	if avatar == "" {
		avatar = s.cfg.URL("/static/icon.png")
	}
	return JRD{
		Subject: "acct:" + a.Handle + "@" + s.cfg.Host(),
		Aliases: []string{a.IRI, a.URL},
		Links: []Link{
			{Rel: "self", Type: ap.MediaTypeActivity, Href: a.IRI},
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: a.URL},
			{Rel: "http://webfinger.net/rel/avatar", Type: MediaTypeOf(avatar), Href: avatar},
		},
	}, nil
}

func (s *Discovery) handleOf(resource string) (string, error) {
	resource = strings.TrimSpace(resource)
	switch {
	case resource == "":
		return "", apperr.Errorf(apperr.Invalid, "the resource parameter is required")
	case strings.HasPrefix(resource, "acct:"):
		user, host, ok := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(resource, "acct:"), "@"), "@")
		if !ok || user == "" || host == "" {
			return "", apperr.Errorf(apperr.Invalid, "%q is not of the form acct:handle@host", resource)
		}
		if !strings.EqualFold(host, s.cfg.Host()) {
			return "", apperr.Errorf(apperr.NotFound, "%q is not on this server (%s)", resource, s.cfg.Host())
		}
		return strings.ToLower(user), nil
	case strings.HasPrefix(resource, "http://"), strings.HasPrefix(resource, "https://"):
		u, err := url.Parse(resource)
		if err != nil {
			return "", apperr.Errorf(apperr.Invalid, "%q is not a URL", resource)
		}
		if !strings.EqualFold(u.Host, s.cfg.Host()) {
			return "", apperr.Errorf(apperr.NotFound, "%q is not on this server", resource)
		}
		for _, prefix := range []string{"/actors/", "/@"} {
			if h, ok := strings.CutPrefix(u.Path, prefix); ok && h != "" && !strings.Contains(h, "/") {
				return h, nil
			}
		}
		return "", apperr.Errorf(apperr.NotFound, "%q is not an actor here", resource)
	}
	return "", apperr.Errorf(apperr.Invalid, "%q is neither an acct: URI nor a URL", resource)
}
