package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is Pollen's module path.
const module = "github.com/pollen-coop/pollen"

// allowed lists, for every package of the module (by its path in the
// module), the packages of the module its code may import. Dependencies
// point one way: cmd/pollen → node → handlers → handlers/* (the surfaces)
// → service → federation → federation/* → models → config (service/access,
// the staff's accounts and the OAuth server, sits beside service over
// models; the surfaces
// may also call federation directly, as the inbox does); federation/ap
// (ActivityStreams), federation/httpsig (HTTP signatures) and
// federation/sanitize (HTML and text cleaning) sit under federation and
// import nothing of Pollen; service/notetext (a note's text as HTML)
// imports only sanitize, under service; service/bulkimport (reading case
// studies in bulk) imports service, config and apperr, and only cmd/pollen imports it; federation/notedoc (the node's notes as
// ActivityStreams) imports ap and models, and is imported by federation
// and service; federation/convert (remote objects to rows,
// and the field limits service checks against) sits above ap and
// sanitize, imports models and apperr, and is imported by federation and
// service; federation/fetch (fetching actors, keys and
// documents, the key cache) sits above those three; federation/transport (the
// outgoing HTTP client), federation/liveness (the process heartbeat) and
// federation/delivery (the queue runner), federation/quota (the inbox
// quotas) and federation/groupcommit (the
// inbox's batched inserts) sit under federation and above models;
// federation/doccache (the served documents' cache) imports nothing of
// Pollen, and is imported by federation, handlers/activitypub and
// handlers/mastoapi (its page cache);
// federation/discovery (WebFinger, host-meta, NodeInfo) sits under
// federation over models, and the surfaces may name its types;
// models/dbconn (the connection and the store errors) sits under models,
// and models/accounts (staff accounts, sessions, OAuth, the audit log),
// models/queue (the delivery queue) and models/notices (notifications,
// markers) between the two; internal/apperr (the one error
// type) imports nothing of Pollen
// and may be imported by federation, service and the HTTP layer, never by
// models; web is imported by the surfaces only; the surfaces by handlers
// only; testrig by tests only. A
// package missing from this list fails the test, so that every new
// package, or package split, says where it stands by adding its line.
var allowed = map[string][]string{
	"cmd/pollen":             {"node", "service", "service/access", "service/bulkimport", "federation", "federation/policy", "config", "internal/apperr"},
	"cmd/pollen-load":        {"cmd/pollen-load/corpus", "cmd/pollen-load/hubsim", "node", "service", "federation", "federation/httpsig", "federation/transport", "federation/delivery", "federation/liveness", "models", "config"},
	"cmd/pollen-load/hubsim": {"federation/httpsig"},
	"cmd/pollen-load/corpus": {"models", "service", "config"},
	"node": {"handlers", "service", "service/access", "service/adminops", "service/media", "federation", "federation/ap", "federation/httpsig", "federation/fetch", "federation/sanitize", "federation/transport", "federation/delivery",
		"federation/liveness", "federation/policy", "federation/profile", "federation/directory", "federation/topics", "models", "config"},
	"handlers":             append([]string{"handlers/activitypub", "handlers/admin", "handlers/api", "handlers/auth", "handlers/mastoapi", "handlers/oauth", "handlers/pages"}, surface...),
	"handlers/activitypub": append([]string{"federation/doccache"}, surface...),
	"handlers/admin":       append([]string{"federation/policy"}, surface...),
	"handlers/api":         surface,
	"handlers/auth":        surface,
	"handlers/mastoapi":    append([]string{"federation/doccache", "federation/directory"}, surface...),
	"handlers/oauth":       surface,
	"handlers/pages":       append([]string{"federation/directory", "federation/topics"}, surface...),
	"handlers/request":     {"service", "service/access", "federation", "config", "internal/apperr"},
	"web":                  {},
	"service":              {"federation", "federation/ap", "federation/convert", "federation/httpsig", "federation/sanitize", "federation/notedoc", "federation/profile", "federation/topics", "service/notetext", "models", "models/ftsquery", "config", "internal/apperr"},
	"service/access":       {"models", "internal/apperr"},
	"service/adminops":     {"service", "service/access", "federation", "federation/profile", "models", "internal/apperr"},
	"service/notetext":     {"federation/sanitize"},
	"service/bulkimport":   {"service", "config", "internal/apperr"},
	"service/media":        {"models", "config", "internal/apperr"},
	"federation": {"federation/ap", "federation/convert", "federation/notedoc", "federation/httpsig", "federation/fetch", "federation/sanitize", "federation/transport", "federation/delivery", "federation/liveness",
		"federation/groupcommit", "federation/quota", "federation/doccache", "federation/apdoc", "federation/inboxrun", "federation/discovery", "federation/policy", "federation/profile", "federation/topics", "federation/directory",
		"models", "config", "internal/apperr"},
	"federation/ap":        {},
	"federation/convert":   {"federation/ap", "federation/sanitize", "models", "internal/apperr"},
	"federation/notedoc":   {"federation/ap", "models"},
	"federation/fetch":     {"federation/ap", "federation/httpsig", "federation/sanitize", "federation/transport", "models", "config"},
	"federation/sanitize":  {},
	"federation/httpsig":   {},
	"federation/transport": {"federation/ap", "federation/httpsig", "models", "config"},
	"federation/liveness":  {"models", "config"},
	"federation/apdoc":     {"federation/ap"},
	"federation/inboxrun":  {"federation/liveness", "models"},
	"federation/delivery":  {"federation/transport", "federation/liveness", "federation/ap", "federation/httpsig", "models", "config"},
	"internal/apperr":      {},
	"models":               {"config", "models/migrations", "models/dbconn", "models/accounts", "models/queue", "models/notices", "models/policy", "models/network", "models/discussion", "models/casesearch", "models/ftsquery", "models/profile", "models/media", "models/sqlitepool"},
	"models/casesearch":    {"models/dbconn", "models/ftsquery", "models/policy"},
	"models/ftsquery":      {},
	"models/migrations":    {},
	"models/dbconn":        {},
	"models/sqlitepool":    {},
	"models/accounts":      {"models/dbconn"},
	"models/queue":         {"models/dbconn"},
	"models/notices":       {"models/dbconn", "models/policy"},
	"models/policy":        {"models/dbconn"},
	"models/network":       {"models/dbconn"},
	"models/discussion":    {"models/dbconn"},
	"models/profile":       {"models/dbconn"},
	"models/media":         {"models/dbconn"},
	"config":               {},
	"testrig": {"node", "handlers", "service", "federation", "federation/httpsig", "federation/fetch", "federation/sanitize", "federation/transport", "federation/delivery",
		"federation/liveness", "models", "config"},
	"internal/archtest":      {},
	"internal/sizes":         {},
	"federation/groupcommit": {"models"},
	"federation/quota":       {"internal/apperr"},
	"federation/doccache":    {},
	"federation/discovery":   {"federation/ap", "models", "config", "internal/apperr"},
	"federation/policy":      {"federation/delivery", "models", "models/policy", "config", "internal/apperr"},
	"federation/topics":      {"federation/httpsig", "models", "config"},
	"federation/profile":     {"models", "config", "internal/apperr"},
	"federation/directory":   {"federation/ap", "models", "config"},
}

// surface is what a package of the HTTP layer may import: the shared
// request reading, the pages' templates, the use cases and the protocol
// engine, the configuration and the error type; never models.
var surface = []string{"handlers/request", "web", "service", "service/access", "service/adminops", "service/media", "federation", "federation/ap", "federation/discovery", "federation/profile", "federation/httpsig", "federation/sanitize", "config", "internal/apperr"}

// testOnly are the packages only tests may import. A package's tests may
// import what its code may, the package itself and these.
var testOnly = []string{"testrig"}

// forbidden lists, for some packages, what they must not depend on, even
// through another package: the store and the ActivityStreams parser know
// no HTTP, the processing layer no echo.
var forbidden = map[string][]string{
	"models":               {"net/http", "github.com/labstack/echo/v4"},
	"models/migrations":    {"net/http", "github.com/labstack/echo/v4"},
	"models/dbconn":        {"net/http", "github.com/labstack/echo/v4"},
	"models/accounts":      {"net/http", "github.com/labstack/echo/v4"},
	"models/queue":         {"net/http", "github.com/labstack/echo/v4"},
	"models/notices":       {"net/http", "github.com/labstack/echo/v4"},
	"models/policy":        {"net/http", "github.com/labstack/echo/v4"},
	"models/discussion":    {"net/http", "github.com/labstack/echo/v4"},
	"models/profile":       {"net/http", "github.com/labstack/echo/v4"},
	"models/casesearch":    {"net/http", "github.com/labstack/echo/v4"},
	"models/ftsquery":      {"net/http", "github.com/labstack/echo/v4"},
	"models/media":         {"net/http", "github.com/labstack/echo/v4"},
	"service/media":        {"github.com/labstack/echo/v4"},
	"service":              {"github.com/labstack/echo/v4"},
	"service/access":       {"github.com/labstack/echo/v4"},
	"federation":           {"github.com/labstack/echo/v4"},
	"federation/ap":        {"net/http", "github.com/labstack/echo/v4"},
	"federation/httpsig":   {"github.com/labstack/echo/v4"},
	"federation/transport": {"github.com/labstack/echo/v4"},
	"federation/liveness":  {"net/http", "github.com/labstack/echo/v4"},
	"federation/delivery":  {"github.com/labstack/echo/v4"},
	"config":               {"net/http", "github.com/labstack/echo/v4"},
	"internal/apperr":      {"net/http", "github.com/labstack/echo/v4"},
	"federation/fetch":     {"github.com/labstack/echo/v4"},
	"federation/sanitize":  {"net/http", "github.com/labstack/echo/v4"},
	"federation/convert":   {"net/http", "github.com/labstack/echo/v4"},
}

// notImported lists, for some packages, libraries they and their tests
// must not import themselves (they may depend on them through another
// package): the HTTP layer reaches the database only through the service.
var notImported = map[string][]string{
	"handlers":             {"gorm.io/gorm"},
	"handlers/activitypub": {"gorm.io/gorm"},
	"handlers/admin":       {"gorm.io/gorm"},
	"handlers/api":         {"gorm.io/gorm"},
	"handlers/auth":        {"gorm.io/gorm"},
	"handlers/mastoapi":    {"gorm.io/gorm"},
	"handlers/oauth":       {"gorm.io/gorm"},
	"handlers/pages":       {"gorm.io/gorm"},
	"handlers/request":     {"gorm.io/gorm"},
}

// listed is what `go list -json` says of one package.
type listed struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
	Deps         []string
}

// TestImportDirections fails when a package of the module imports another
// against the list above, or depends on what it must not.
func TestImportDirections(t *testing.T) {
	for _, v := range violations(goList(t)) {
		t.Error(v)
	}
}

// TestViolationsFound: each kind of wrong import is reported.
func TestViolationsFound(t *testing.T) {
	m := func(name string) string { return module + "/" + name }
	var pkgs []listed
	for name := range allowed {
		pkgs = append(pkgs, listed{ImportPath: m(name)})
	}
	pkgs = append(pkgs,
		listed{ImportPath: m("models"), Imports: []string{m("federation")}, Deps: []string{"github.com/labstack/echo/v4"}},
		listed{ImportPath: m("node"), Imports: []string{m("web"), m("testrig")}},
		listed{ImportPath: m("federation"), XTestImports: []string{m("testrig"), m("handlers")}},
		listed{ImportPath: m("admin"), Imports: []string{m("models")}},
		listed{ImportPath: m("handlers"), TestImports: []string{"gorm.io/gorm/clause"}},
		listed{ImportPath: "github.com/labstack/echo/v4", Imports: []string{"net/http"}},
	)
	got := violations(pkgs)
	for _, want := range []string{
		"models imports federation",
		"models depends on github.com/labstack/echo/v4",
		"node imports web",
		"node imports testrig",
		"the tests of federation import handlers",
		"package admin is not in",
		"handlers or its tests import gorm.io/gorm",
	} {
		if !slices.ContainsFunc(got, func(v string) bool { return strings.HasPrefix(v, want) }) {
			t.Errorf("not reported: %q; got %q", want, got)
		}
	}
	if len(got) != 7 {
		t.Errorf("%d violations, want 7: %q", len(got), got)
	}
}

// violations checks the packages go list gave against allowed, testOnly
// and forbidden, and says what is wrong, one line each.
func violations(pkgs []listed) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range pkgs {
		if p.ImportPath != module && !strings.HasPrefix(p.ImportPath, module+"/") {
			continue // a dependency, listed by -deps
		}
		name := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		seen[name] = true
		may, ok := allowed[name]
		if !ok {
			out = append(out, fmt.Sprintf("package %s is not in internal/archtest's list: add it, with the packages it may import", name))
			continue
		}
		for _, imp := range own(p.Imports) {
			if !slices.Contains(may, imp) {
				out = append(out, fmt.Sprintf("%s imports %s: not allowed (%s may import %v)", name, imp, name, may))
			}
		}
		mayInTests := append(append(slices.Clone(may), name), testOnly...)
		for _, imp := range own(append(slices.Clone(p.TestImports), p.XTestImports...)) {
			if !slices.Contains(mayInTests, imp) {
				out = append(out, fmt.Sprintf("the tests of %s import %s: not allowed (they may import %v)", name, imp, mayInTests))
			}
		}
		all := append(append(slices.Clone(p.Imports), p.TestImports...), p.XTestImports...)
		for _, lib := range notImported[name] {
			if slices.ContainsFunc(all, func(imp string) bool { return imp == lib || strings.HasPrefix(imp, lib+"/") }) {
				out = append(out, fmt.Sprintf("%s or its tests import %s, which they must not", name, lib))
			}
		}
		for _, dep := range forbidden[name] {
			if slices.Contains(p.Deps, dep) {
				out = append(out, fmt.Sprintf("%s depends on %s, which it must not", name, dep))
			}
		}
	}
	for name := range allowed {
		if !seen[name] {
			out = append(out, fmt.Sprintf("package %s is in internal/archtest's list but not in the module: remove or rename it", name))
		}
	}
	return out
}

// own keeps the module's packages of imports, by their path in the module.
func own(imports []string) []string {
	var out []string
	for _, imp := range imports {
		if imp == module || strings.HasPrefix(imp, module+"/") {
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(imp, module), "/"))
		}
	}
	return out
}

// goList runs `go list -deps -json ./...` at the module's root.
func goList(t *testing.T) []listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-json", "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return pkgs
}
