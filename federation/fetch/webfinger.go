package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// ResolveActor finds an actor from what a person types: an actor URL
// (fetched as FetchActor does) or a handle (resolved as ResolveHandle
// does). It returns their errors.
func (f *Fetcher) ResolveActor(ctx context.Context, target string) (models.Actor, error) {
	target = strings.TrimSpace(target)
	if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
		return f.FetchActor(ctx, target)
	}
	return f.ResolveHandle(ctx, target)
}

// ResolveHandle finds the actor of a handle, "@user@host" (or "user@host",
// "acct:user@host"), with WebFinger, then fetches it as FetchActor does.
// WebFinger is asked over https; over http when the host is localhost or a
// loopback address (test and demo nodes); and over https then http when
// AllowPrivateNetworks is set. It returns an ErrRefused *Error for a
// malformed handle, an ErrNoAccount *Error when the host knows no such
// account, an ErrBadAnswer *Error when the host answers wrongly, and
// FetchActor's errors.
func (f *Fetcher) ResolveHandle(ctx context.Context, handle string) (models.Actor, error) {
	user, host, err := splitHandle(handle)
	if err != nil {
		return models.Actor{}, err
	}
	acct := "acct:" + user + "@" + host
	var lastErr error
	for _, scheme := range f.webfingerSchemes(host) {
		u := scheme + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape(acct)
		resp, err := f.get(ctx, u, "application/jrd+json, application/json", true)
		if errors.Is(err, ErrBadAnswer) && resp.Status == 0 && !errors.Is(err, ErrTooLarge) {
			lastErr = err // no answer: try the next scheme
			continue
		}
		if errors.Is(err, models.ErrNotFound) {
			return models.Actor{}, &Error{Kind: ErrNoAccount, Message: "no account " + acct + " on " + host, Err: err}
		}
		if err != nil {
			return models.Actor{}, err
		}
		self, err := selfLink(resp.Body)
		if err != nil {
			return models.Actor{}, badAnswer("the WebFinger answer for "+acct+" has no ActivityPub actor", err)
		}
		return f.FetchActor(ctx, self)
	}
	return models.Actor{}, lastErr
}

// webfingerSchemes are the schemes to ask host's WebFinger with, in order.
func (f *Fetcher) webfingerSchemes(host string) []string {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.Trim(name, "[]")
	ip := net.ParseIP(name)
	switch {
	case strings.EqualFold(name, "localhost") || strings.HasSuffix(strings.ToLower(name), ".localhost") || (ip != nil && ip.IsLoopback()):
		return []string{"http"}
	case f.cfg.AllowPrivateNetworks:
		return []string{"https", "http"}
	}
	return []string{"https"}
}

// splitHandle reads "@user@host", "user@host" or "acct:user@host".
func splitHandle(handle string) (user, host string, err error) {
	h := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(handle), "acct:"), "@")
	user, host, ok := strings.Cut(h, "@")
	bad := refused(httpsig.Quote(handle)+" is not a handle of the form @user@host", nil)
	if !ok || user == "" || host == "" || strings.ContainsAny(user, "/?#@ ") {
		return "", "", bad
	}
	u, err := url.Parse("https://" + host)
	if err != nil || u.Host != host || u.User != nil {
		return "", "", bad
	}
	return user, strings.ToLower(host), nil
}

// selfLink is the href of the ActivityPub "self" link of a JRD.
func selfLink(data []byte) (string, error) {
	var jrd struct {
		Links []struct {
			Rel  string `json:"rel"`
			Type string `json:"type"`
			Href string `json:"href"`
		} `json:"links"`
	}
	if err := json.Unmarshal(data, &jrd); err != nil {
		return "", err
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && isActivityStreams(l.Type) && isHTTPURL(l.Href) {
			return l.Href, nil
		}
	}
	return "", errors.New("no self link of type application/activity+json")
}
