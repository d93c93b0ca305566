package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// postIcon sends form to /admin/profile as multipart/form-data, with
// its CSRF token and data as the icon field's file named filename.
func (b *client) postIcon(form url.Values, filename string, data []byte) answer {
	b.t.Helper()
	return b.postMultipart("/admin/profile", form, "icon", filename, data)
}

var iconURL = regexp.MustCompile(`name="icon_url" value="([^"]*)"`)

// TestProfileIcon: an image uploaded as the icon is the actor's icon,
// with its URL and media type; one uploaded with a mistake elsewhere in
// the form is kept for the next try; a script named .png, a PDF and an
// image over the limit are refused with a message, changing nothing; an
// icon_url that is not one of the node's images is ignored.
func TestProfileIcon(t *testing.T) {
	n, _ := uploadNode(t) // 64 KB images
	addUser(t, n, "ravi@example.org", access.RoleAdmin)
	b := newClient(t, n.URL)
	b.signIn("ravi@example.org")
	form := func(name string) url.Values {
		return url.Values{"name": {name}, "organisation_type": {"council"}, "icon_url": {""}, "icon_media_type": {""}}
	}
	actorIcon := func() map[string]any {
		icon, _ := testrig.GetAP(t, n.URL+"/actors/"+n.Config.Handle).Map(t)["icon"].(map[string]any)
		return icon
	}
	for _, tc := range []struct {
		name, filename string
		data           []byte
		want           string
	}{
		{"script", "icon.png", []byte("<script>alert(1)</script>"), `href="#icon">The icon `},
		{"pdf", "icon.png", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"), `href="#icon">The icon must be an image`},
		{"too large", "big.png", pngOf(t, 8, 8, 70<<10), `href="#icon">The icon is an image larger than 64 KB`},
	} {
		p := b.postIcon(form("Leeds"), tc.filename, tc.data)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, tc.want) || !strings.Contains(p.body, `value="Leeds"`) {
			t.Errorf("%s: %d, misses %q\n%s", tc.name, p.status, tc.want, regexp.MustCompile(`href="#icon">[^<]*`).FindString(p.body))
		}
	}
	if p := n.Service.NodeProfile(); p.Saved || p.IconURL != "" {
		t.Fatalf("refused icons changed the profile: %+v", p)
	}

	// A good icon with a mistake in the name: kept in the form, saved with the next try.
	p := b.postIcon(form(" "), "logo.png", pngOf(t, 16, 16, 0))
	m := iconURL.FindStringSubmatch(p.body)
	if p.status != http.StatusUnprocessableEntity || m == nil || !strings.HasPrefix(m[1], n.URL+"/media/") || !strings.Contains(p.body, `id="icon-now"`) {
		t.Fatalf("the icon with a mistake: %d, icon_url %v", p.status, m)
	}
	again := form("Leeds")
	again.Set("icon_url", m[1])
	again.Set("icon_media_type", "image/png")
	if p := b.post("/admin/profile", again); p.status != http.StatusSeeOther {
		t.Fatalf("save with the kept icon: %d\n%s", p.status, p.body)
	}
	if icon := actorIcon(); icon["url"] != m[1] || icon["mediaType"] != "image/png" || icon["type"] != "Image" {
		t.Errorf("the actor's icon = %v, want %s as image/png", icon, m[1])
	}
	if r := testrig.Do(t, http.MethodGet, m[1], nil, nil); r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
		t.Errorf("GET the icon = %d %s", r.Status, r.Header.Get("Content-Type"))
	}

	// A forged icon_url is ignored: the icon stays.
	forged := form("Leeds")
	forged.Set("icon_url", "https://elsewhere.example/x.png")
	forged.Set("icon_media_type", "image/png")
	if p := b.post("/admin/profile", forged); p.status != http.StatusSeeOther {
		t.Fatalf("save with a forged icon: %d", p.status)
	}
	if icon := actorIcon(); icon["url"] != m[1] {
		t.Errorf("a forged icon_url changed the icon to %v", icon["url"])
	}
}
