package pages

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// feedSource is what a feed follows: its title and description, and the
// page it is the feed of.
type feedSource struct {
	Title, Description, Link string
}

// regionalFeed answers GET /feed.atom, /feed.rss and /feed.json in format
// f: every case study this node holds, its own and those received from
// peers, found as GET /feed finds them (q, every facet, the savings and
// date filters, sort, limit and offset), newest first unless sort says
// otherwise. Any other parameter is an Invalid error (400).
func (h *Handler) regionalFeed(f feedFormat) echo.HandlerFunc {
	return func(c echo.Context) error {
		q, err := feedSearch(c)
		if err != nil {
			return err
		}
		return h.serveFeed(c, f, q, feedSource{
			Title:       "Case studies on " + h.name(),
			Description: "Every case study " + h.name() + " holds: its own and those its peers shared with it.",
			Link:        h.cfg.URL(feedPath),
		})
	}
}

// tagFeed answers GET /tags/{tag}.atom, .rss and .json (the tag page's
// route hands them here): the regional feed of the case studies with the
// hashtag tag. A tag parameter is an Invalid error: the tag is the path's.
func (h *Handler) tagFeed(c echo.Context, f feedFormat, tag string) error {
	if c.QueryParams().Has("tag") {
		return apperr.Errorf(apperr.Invalid, "unknown parameter \"tag\": this feed's tag is in its path")
	}
	if err := request.CheckFilterLength("the tag", tag); err != nil {
		return err
	}
	q, err := feedSearch(c)
	if err != nil {
		return err
	}
	q.Filters["tag"] = []string{tag}
	return h.serveFeed(c, f, q, feedSource{
		Title:       "Case studies tagged #" + tag + " on " + h.name(),
		Description: "The case studies " + h.name() + " holds with the hashtag #" + tag + ".",
		Link:        h.cfg.URL("/tags/" + url.PathEscape(tag)),
	})
}

// organisationFeed answers GET /@{handle}.atom, .rss and .json (the
// organisation page's route hands them here): the organisation's own case
// studies, with the regional feed's parameters. It returns a NotFound
// *apperr.Error for another handle.
func (h *Handler) organisationFeed(c echo.Context, f feedFormat, handle string) error {
	if handle != h.cfg.Handle {
		return apperr.Errorf(apperr.NotFound, "no organisation %q here", handle)
	}
	q, err := feedSearch(c)
	if err != nil {
		return err
	}
	q.LocalOnly = true
	actor, err := h.profile.LocalActor(c.Request().Context())
	if err != nil {
		return err
	}
	return h.serveFeed(c, f, q, feedSource{
		Title: actor.Name + ": case studies", Description: actor.Summary, Link: h.cfg.URL("/@" + handle),
	})
}

// feedSearch reads a feed's search from its URL as the feed page does
// (request.FeedQuery: an Invalid *apperr.Error for an unknown parameter),
// newest first unless it says otherwise, without facet counts or
// snippets.
func feedSearch(c echo.Context) (service.FeedQuery, error) {
	q, err := request.FeedQuery(c)
	if q.Sort == "" {
		q.Sort = service.SortNewest
	}
	q.NoFacets, q.NoSnippets = true, true
	return q, err
}

// serveFeed writes the case studies that match q as a feed in format f,
// with an ETag (of the body) and a Last-Modified (the node's last change
// to any case study), answering 304 to a request that has them already.
func (h *Handler) serveFeed(c echo.Context, f feedFormat, q service.FeedQuery, src feedSource) error {
	ctx := c.Request().Context()
	changed, err := h.cases.LastChange(ctx)
	if err != nil {
		return err
	}
	res, err := h.cases.SearchFeed(ctx, q)
	if err != nil {
		return err
	}
	doc := feedDoc{
		Title: src.Title, Description: src.Description, Link: src.Link,
		Self: h.cfg.URL(c.Request().URL.RequestURI()), Updated: changed,
	}
	if end := res.Offset + len(res.Items); int64(end) < res.Total {
		next := c.Request().URL.Query()
		next.Set("offset", strconv.Itoa(end))
		doc.Next = h.cfg.URL(c.Request().URL.Path + "?" + next.Encode())
	}
	for _, v := range res.Items {
		it, err := h.feedItem(v.CaseStudyView)
		if err != nil {
			return err
		}
		doc.Items = append(doc.Items, it)
	}
	body, err := f.write(doc)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, f.Type+"; charset=utf-8")
	hd.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	hd.Set("Cache-Control", "no-cache")
	// ServeContent answers If-None-Match (before If-Modified-Since, as
	// RFC 9110 says) with 304, and sets Last-Modified unless changed is zero.
	http.ServeContent(c.Response(), c.Request(), "", changed.UTC(), bytes.NewReader(body))
	return nil
}

// feedItem is v as a feed entry, its full content rendered with the
// feed-item template.
func (h *Handler) feedItem(v service.CaseStudyView) (feedItem, error) {
	page := service.CaseStudyPage(h.cfg, v)
	var b strings.Builder
	data := map[string]any{"CaseStudy": v, "Page": page, "Received": !v.Local, "Node": h.name()}
	if err := h.pages.Fragment(&b, "feed-item", data); err != nil {
		return feedItem{}, err
	}
	it := feedItem{
		ID: v.ID, Link: page, Title: v.Title, Summary: v.Summary, Content: h.absolute(strings.TrimSpace(b.String())),
		AuthorName: firstOf(v.Author.Name, v.Author.Handle), AuthorURL: firstOf(v.Author.URL, v.Author.ID),
		Published: v.Published, Updated: v.Updated,
	}
	if !v.Local {
		it.Original = firstOf(v.URL, v.ID)
	}
	if v.ServiceArea != "" {
		it.Categories = append(it.Categories, v.ServiceArea)
	}
	for _, t := range v.Tags {
		if !strings.EqualFold(t, v.ServiceArea) {
			it.Categories = append(it.Categories, t)
		}
	}
	return it, nil
}

// rootRelative finds the src and href attributes of rendered HTML whose
// value is a path on this node ("/static/x.png", not "//host/x.png").
var rootRelative = regexp.MustCompile(`( (?:src|href)=")/([^/"])`)

// absolute makes the paths on this node in content, HTML this node
// rendered (its own case studies' images and links), absolute URLs: a
// feed reader shows the content away from the node.
func (h *Handler) absolute(content string) string {
	return rootRelative.ReplaceAllString(content, "${1}"+h.cfg.URL("/")+"${2}")
}

// splitFeed reads the last segment of a feed's URL, such as "mutuals.atom":
// the name before the extension and the format the extension names; ok is
// false when it names none.
func splitFeed(segment string) (name string, f feedFormat, ok bool) {
	for _, f := range feedFormats {
		if name, found := strings.CutSuffix(segment, f.Ext); found && name != "" {
			return name, f, true
		}
	}
	return "", feedFormat{}, false
}

// feedLink is a page's link to one of its feeds, for autodiscovery.
type feedLink struct{ Type, Href, Title string }

// feedLinks are the links to the feeds at path (without the extension) in
// every format, carrying the page's filters (query), titled title.
func feedLinks(path string, query url.Values, title string) []feedLink {
	var links []feedLink
	for _, f := range feedFormats {
		u := url.URL{Path: path + f.Ext, RawQuery: query.Encode()}
		links = append(links, feedLink{Type: f.Type, Href: u.String(), Title: title + " (" + f.Label + ")"})
	}
	return links
}

// firstOf is the first of l that is not empty.
func firstOf(l ...string) string {
	for _, s := range l {
		if s != "" {
			return s
		}
	}
	return ""
}
