package pages

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/web"
)

// home serves the organisation's page (and hands /@{handle}.atom, .rss
// and .json to organisationFeed): its profile and case studies, paged
// with limit and offset and filtered as the API's list is, and its latest
// public notes that answer nothing (its questions to peers).
func (h *Handler) home(c echo.Context) error {
	ctx := c.Request().Context()
	if name, f, ok := splitFeed(c.Param("handle")); ok {
		return h.organisationFeed(c, f, name)
	}
	if handle := c.Param("handle"); handle != "" && handle != h.cfg.Handle {
		return apperr.Errorf(apperr.NotFound, "no organisation %q here", handle)
	}
	actor, err := h.profile.LocalActor(ctx)
	if err != nil {
		return err
	}
	q, err := request.CaseStudyFilter(c)
	if err != nil {
		return err
	}
	q.LocalOnly = true
	list, err := h.cases.ListCaseStudies(ctx, q)
	if err != nil {
		return err
	}
	notes, err := h.notes.LocalNotes(ctx, homeNotes)
	if err != nil {
		return err
	}
	caption := web.Sentence(actor.OrgType)
	if actor.Region != "" {
		if caption != "" {
			caption += " in "
		}
		caption += actor.Region
	}
	data := map[string]any{
		"Title": actor.Name, "Actor": actor, "List": list, "Caption": caption, "Notes": notes,
		"Description": actor.Summary, "ActivityURL": actor.IRI,
		"Feeds": append(feedLinks("/@"+h.cfg.Handle, request.FilterQuery(c), "Case studies from "+actor.Name),
			feedLinks("/feed", request.FilterQuery(c), "Every case study on "+h.name())...),
	}
	pageLinks(c, list, data)
	if err := h.addTopics(ctx, data); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "home.html", data)
}

// tag serves the case studies with a hashtag, paged as the home page is
// (and hands /tags/{tag}.atom, .rss and .json to tagFeed).
func (h *Handler) tag(c echo.Context) error {
	ctx := c.Request().Context()
	if name, f, ok := splitFeed(c.Param("tag")); ok {
		return h.tagFeed(c, f, name)
	}
	q, err := request.CaseStudyFilter(c)
	if err != nil {
		return err
	}
	q.LocalOnly = true
	q.Tag = c.Param("tag")
	if err := request.CheckFilterLength("the tag", q.Tag); err != nil {
		return err
	}
	list, err := h.cases.ListCaseStudies(ctx, q)
	if err != nil {
		return err
	}
	data := map[string]any{
		"Title": "#" + q.Tag, "List": list, "Tag": q.Tag,
		"Feeds": feedLinks("/tags/"+url.PathEscape(q.Tag), tagFeedQuery(c), "Case studies tagged #"+q.Tag),
	}
	pageLinks(c, list, data)
	return h.render(c, http.StatusOK, "tag.html", data)
}

// pageLinks adds the links to the previous and next pages of list, keeping
// the request's other query parameters.
func pageLinks(c echo.Context, list service.CaseStudyList, data map[string]any) {
	link := func(offset int) string {
		q := url.Values{}
		for k, v := range c.QueryParams() {
			q[k] = v
		}
		q.Del("offset")
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		u := url.URL{Path: c.Request().URL.Path, RawQuery: q.Encode()}
		return u.String()
	}
	if list.Offset > 0 {
		data["Prev"] = link(max(list.Offset-list.Limit, 0))
	}
	if int64(list.Offset+len(list.Items)) < list.Total {
		data["Next"] = link(list.Offset + list.Limit)
	}
}

// tagFeedQuery is the tag page's filters as its feeds take them: the tag
// is their path's.
func tagFeedQuery(c echo.Context) url.Values {
	q := request.FilterQuery(c)
	q.Del("tag")
	return q
}
