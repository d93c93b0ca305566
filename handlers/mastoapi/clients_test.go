package mastoapi_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/testrig"
)

// TestGoMastodonInstance: mattn/go-mastodon reads the instance of a real
// node.
func TestGoMastodonInstance(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	c := mastodon.NewClient(&mastodon.Config{Server: n.URL})
	in, err := c.GetInstance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if in.URI != strings.TrimPrefix(n.URL, "http://") || in.Title != "Test Council" ||
		!strings.HasPrefix(in.Version, "4.3.0 (compatible; Pollen ") {
		t.Errorf("instance = %+v", in)
	}
	if in.ContactAccount == nil || in.ContactAccount.Username != "org" || in.ContactAccount.Avatar == "" ||
		in.ContactAccount.Header == "" || len(in.ContactAccount.Fields) == 0 {
		t.Errorf("contact account = %+v", in.ContactAccount)
	}
	if in.Configuration == nil || in.Configuration.Statuses == nil || (*in.Configuration.Statuses)["max_characters"] == nil {
		t.Errorf("configuration = %+v", in.Configuration)
	}
	if in.Stats == nil || in.Stats.UserCount != 1 {
		t.Errorf("stats = %+v", in.Stats)
	}
}

// mastodonPy reads the instance, both versions, with Mastodon.py, the way
// a script starts.
const mastodonPy = `
import sys
from mastodon import Mastodon
m = Mastodon(api_base_url=sys.argv[1])
v1 = m.instance()
if hasattr(m, "instance_v2"):
    v2 = m.instance_v2()
else:
    # Mastodon.py 1.8 (Debian's) has no instance_v2 yet (2.0 has): its
    # own request method, as instance_v2 calls it.
    v2 = m._Mastodon__api_request("GET", "/api/v2/instance")
assert v1["uri"] == v2["domain"], (v1["uri"], v2["domain"])
assert m.verify_minimum_version("4.0.0", cached=True), m.version_check_mode
print(v1["title"], "|", v2["contact"]["account"]["acct"], "|", m.retrieve_mastodon_version())
`

// TestMastodonPyInstance: Mastodon.py (Debian's python3-mastodon, which
// .ci/run installs) reads both instances of a real node without failing
// and takes its Mastodon version (1.8 has no instance_v2: the v2 instance
// goes through its own request method). Without it the test is skipped, or
// fails when CI is set.
func TestMastodonPyInstance(t *testing.T) {
	python := needMastodonPy(t)
	n := testrig.StartNode(t, testrig.Options{})
	out, err := exec.Command(python, "-c", mastodonPy, n.URL).CombinedOutput()
	if err != nil {
		t.Fatalf("Mastodon.py: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "Test Council | org | 4.3.0" {
		t.Errorf("Mastodon.py printed %q", got)
	}
}
