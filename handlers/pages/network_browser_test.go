package pages_test

import (
	"net/http"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// TestNetworkPagesInBrowser: a hub's pages list its topic actors with
// their handles; a topic's page and the directory pass the page checks.
func TestNetworkPagesInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.Role = config.RoleHub; c.Name = "North West Hub" }})
	host := n.Config.Host()
	testrig.Eventually(t, "the directory lists the hub", func() bool {
		var list []any
		r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/directory", nil, nil)
		r.Decode(t, &list)
		return len(list) == 1
	})
	for _, path := range []string{"/", "/feed"} {
		t.Run(path+" lists the topics", func(t *testing.T) {
			testrig.Load(t, ctx, n.URL+path)
			checkPage(t, ctx)
			testrig.Expect(t, ctx, "the first topics", `[...document.querySelectorAll(".pollen-topics li")].slice(0, 2).map(li => li.textContent).join("; ")`,
				"Adult social care: @adult-social-care@"+host+"; Children's services: @childrens-services@"+host)
			testrig.Expect(t, ctx, "one per known area", `document.querySelectorAll(".pollen-topics li").length`, 12.0)
		})
	}
	t.Run("topic page", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/topics/libraries")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "h1", `document.querySelector("h1").textContent`, "Libraries")
		testrig.Expect(t, ctx, "handle", `document.querySelector(".govuk-inset-text .pollen-handle").textContent`, "@libraries@"+host)
		testrig.Expect(t, ctx, "search link", `document.querySelector("a[href^='/feed?']").getAttribute("href")`, "/feed?service_area=libraries")
	})
	t.Run("directory page", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/directory")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "the hub's row", `[...document.querySelectorAll("#directory tbody td")].map(td => td.textContent.trim()).join("|")`,
			"North West Hub|@"+n.Config.Handle+"@"+host+"|Council|North West|pollen "+versionOf(t, n)+"|0|None|This node")
	})
	if r := testrig.Do(t, http.MethodGet, n.URL+"/topics/no-such-topic", nil, map[string]string{"Accept": "text/html"}); r.Status != http.StatusNotFound {
		t.Errorf("an unknown topic's page: %d, want 404", r.Status)
	}
}

// versionOf is the Pollen version a node's NodeInfo names.
func versionOf(t *testing.T, n *testrig.Node) string {
	var ni struct {
		Software struct{ Version string } `json:"software"`
	}
	testrig.Do(t, http.MethodGet, n.URL+"/nodeinfo/2.1", nil, nil).Decode(t, &ni)
	return ni.Software.Version
}
