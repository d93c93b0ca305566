package pages

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/directory"
	"github.com/pollen-coop/pollen/federation/topics"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
)

// Network is what the pages show of the network: the directory of the
// nodes this node knows (List), and a hub's topic actors (AllTopics;
// ByHandle, a not found error for a handle no topic has). Each returns
// the store's errors.
type Network interface {
	List(ctx context.Context, q directory.Query) (directory.Page, error)
	AllTopics(ctx context.Context) ([]topics.Topic, error)
	ByHandle(ctx context.Context, handle string) (topics.Topic, error)
}

// directoryPageSize is how many nodes a page of /directory lists.
const directoryPageSize = 50

// WithNetwork gives h the directory and the topics it shows (needed
// before Mount); it returns h.
func (h *Handler) WithNetwork(n Network) *Handler {
	h.network = n
	return h
}

// topicLink is a topic as the pages list it.
type topicLink struct {
	Area, Acct, URL string
}

// addTopics adds the hub's topic actors to a page's data as "Topics"
// (none on a node that is no hub).
func (h *Handler) addTopics(ctx context.Context, data map[string]any) error {
	if !h.cfg.IsHub() {
		return nil
	}
	ts, err := h.network.AllTopics(ctx)
	if err != nil {
		return err
	}
	links := make([]topicLink, 0, len(ts))
	for _, t := range ts {
		links = append(links, topicLink{Area: t.Area, Acct: t.Handle + "@" + h.cfg.BaseURL.Host, URL: t.Actor.URL})
	}
	data["Topics"] = links
	return nil
}

// topic serves a topic actor's page: its area, its handle to follow, and
// the latest case studies of its area this node holds.
func (h *Handler) topic(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := h.network.ByHandle(ctx, c.Param("handle"))
	if err != nil {
		return err
	}
	list, err := h.cases.ListCaseStudies(ctx, service.CaseStudyFilter{ServiceArea: t.Area, Limit: 20})
	if err != nil {
		return err
	}
	search := url.URL{Path: feedPath, RawQuery: url.Values{"service_area": {t.Area}}.Encode()}
	return h.render(c, http.StatusOK, "topic.html", map[string]any{
		"Title": t.Actor.Name, "Description": t.Actor.Summary, "ActivityURL": t.Actor.IRI, "Topic": t,
		"Acct": t.Handle + "@" + h.cfg.BaseURL.Host, "List": list, "Search": search.String(),
	})
}

// directoryRow is one node as the directory page shows it; IRI is its
// actor's, which an admin's Follow button sends.
type directoryRow struct {
	Name, URL, IRI, Acct, OrgType, Region, Software string
	CaseStudies                                     int64
	LastActivity                                    time.Time
	Self, Following, Dead                           bool
}

// directoryPage serves /directory: the nodes this node knows, the
// latest active first, 50 to a page (?page=N), each with the handle to
// follow it by; a signed-in admin also gets a Follow button for each node
// not yet followed, a form that posts to the admin area's follow action.
func (h *Handler) directoryPage(c echo.Context) error {
	page, err := request.PageParam(c)
	if err != nil {
		return err
	}
	page = max(page, 1)
	p, err := h.network.List(c.Request().Context(), directory.Query{Order: "active", Limit: directoryPageSize, Offset: (page - 1) * directoryPageSize})
	if err != nil {
		return err
	}
	rows := make([]directoryRow, 0, len(p.Entries))
	for _, e := range p.Entries {
		a, n := e.Actor, e.Node
		r := directoryRow{
			Name: a.Name, URL: a.URL, IRI: a.IRI, Acct: a.Handle + "@" + a.Host, OrgType: n.OrganisationType, Region: n.Region,
			CaseStudies: n.CaseStudies, Self: a.Local, Following: e.Following, Dead: n.Dead,
		}
		r.Name, r.URL, r.OrgType, r.Region = orElse(r.Name, a.Handle), orElse(r.URL, a.IRI), orElse(r.OrgType, a.OrgType), orElse(r.Region, a.Region)
		if n.LastActivity != nil {
			r.LastActivity = *n.LastActivity
		}
		if n.Software != "" {
			r.Software = n.Software + " " + n.SoftwareVersion
		}
		rows = append(rows, r)
	}
	data := map[string]any{
		"Title": "Network directory", "Rows": rows, "Total": p.Total,
		"Description": "The nodes " + h.name() + " knows: those it follows, those that follow it, and those whose case studies reached it.",
	}
	if u, ok := request.User(c); ok && u.Role == access.RoleAdmin {
		data["CanFollow"], data["CSRFToken"], data["CSRFField"] = true, request.CSRFToken(c), "csrf_token"
	}
	if page > 1 {
		data["Prev"] = "/directory?page=" + strconv.Itoa(page-1)
	}
	if int64(page*directoryPageSize) < p.Total {
		data["Next"] = "/directory?page=" + strconv.Itoa(page+1)
	}
	return h.render(c, http.StatusOK, "directory.html", data)
}

// orElse is s, or fallback when s is empty.
func orElse(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
