package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestEndToEnd builds the real binary and runs it as a new user would: in an
// empty folder, with no configuration file and no POLLEN_* variables. Then
// it makes a token, publishes a case study from a Markdown file and another
// through the API, and walks webfinger → actor → outbox → page → case study
// over HTTP, as a fediverse server does, before stopping it with SIGTERM.
//
// The default address 127.0.0.1:8080 may be taken on a shared machine (by
// another node, or a parallel test run). Then, rather than skip, the test
// sets only POLLEN_LISTEN and POLLEN_BASE_URL to a free port: every other
// setting is still the default, and the chain is still walked. The log says
// which way it ran.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(t.TempDir(), "pollen")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	env := cleanEnv()
	base := "http://localhost:8080"
	if l, err := net.Listen("tcp", "127.0.0.1:8080"); err == nil {
		_ = l.Close()
		t.Log("127.0.0.1:8080 is free: running with no configuration at all")
	} else {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		base = "http://" + addr
		env = append(env, "POLLEN_LISTEN="+addr, "POLLEN_BASE_URL="+base)
		t.Logf("127.0.0.1:8080 is taken: running with only POLLEN_LISTEN and POLLEN_BASE_URL set to %s", addr)
	}
	host := strings.TrimPrefix(base, "http://")

	// Serve.
	var logs syncBuffer
	serve := exec.Command(bin, "serve")
	serve.Dir, serve.Env, serve.Stdout, serve.Stderr = dir, env, &logs, &logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- serve.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = serve.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("node log:\n%s", logs.String())
		}
	})
	waitReady(t, base, exited)
	if _, err := os.Stat(filepath.Join(dir, "data", "pollen.db")); err != nil {
		t.Errorf("no SQLite database in ./data: %v", err)
	}

	// A token: alone on the last line of the output.
	out := run(t, dir, env, bin, "token", "create", "--name", "e2e")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if token == "" || strings.ContainsAny(token, " \t") {
		t.Fatalf("token create printed %q; want the token alone on the last line", out)
	}
	if list := run(t, dir, env, bin, "token", "list"); !strings.Contains(list, "e2e") || strings.Contains(list, token) {
		t.Errorf("token list = %q; want the name, never the token", list)
	}

	// Publish from a file, twice: the second time updates.
	file := filepath.Join(dir, "library-mutual.md")
	writeCase := func(title string) {
		text := "---\ntitle: " + title + "\nsummary: How a mutual kept five libraries open.\n" +
			"service_area: libraries\nstage: operating\ntags: [Libraries]\nlessons: [Start early]\n---\n\nWe **did** it.\n"
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeCase("Keeping the libraries open")
	out = run(t, dir, env, bin, "publish", file)
	fileIRI := base + "/case-studies/library-mutual"
	if !strings.HasPrefix(out, "published") || !strings.Contains(out, fileIRI) {
		t.Errorf("publish printed %q; want published and %s", out, fileIRI)
	}
	writeCase("Keeping the libraries open, revised")
	if out = run(t, dir, env, bin, "publish", file); !strings.HasPrefix(out, "updated") || !strings.Contains(out, fileIRI) {
		t.Errorf("publishing again printed %q; want updated and the same IRI", out)
	}

	// A draft from a file: not public (nor in the outbox below).
	draftFile := filepath.Join(dir, "draft-notes.md")
	if err := os.WriteFile(draftFile, []byte("---\ntitle: Notes in draft\nsummary: Not yet.\n---\n\nLater.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out = run(t, dir, env, bin, "publish", "--draft", draftFile); !strings.HasPrefix(out, "saved draft") {
		t.Errorf("publish --draft printed %q", out)
	}
	if resp, err := http.Get(base + "/case-studies/draft-notes"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("the draft's page = %v, %v; want 404", resp, err)
	} else {
		resp.Body.Close()
	}

	// Publish through the API.
	body := `{"title":"Leisure centres as a trust","summary":"A trust runs three leisure centres.","body":"Text."}`
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/case-studies", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	status, created := fetch(t, req)
	if status != http.StatusCreated || created["id"] != base+"/case-studies/leisure-centres-as-a-trust" {
		t.Fatalf("POST /api/v1/case-studies = %d %v", status, created)
	}

	// The chain a fediverse server follows.
	wf := getJSON(t, base+"/.well-known/webfinger?resource="+url.QueryEscape("acct:pollen@"+host), "")
	if wf["subject"] != "acct:pollen@"+host {
		t.Errorf("webfinger subject %v", wf["subject"])
	}
	var self string
	for _, l := range wf["links"].([]any) {
		if m := l.(map[string]any); m["rel"] == "self" {
			self, _ = m["href"].(string)
		}
	}
	actor := getJSON(t, self, "application/activity+json")
	if actor["id"] != self || actor["type"] != "Organization" || actor["preferredUsername"] != "pollen" {
		t.Fatalf("actor %v", actor)
	}
	outbox := getJSON(t, actor["outbox"].(string), "application/activity+json")
	if outbox["totalItems"] != 2.0 {
		t.Errorf("outbox totalItems %v, want 2", outbox["totalItems"])
	}
	page := getJSON(t, outbox["first"].(string), "application/activity+json")
	items, _ := page["orderedItems"].([]any)
	if len(items) != 2 {
		t.Fatalf("outbox page has %d items, want 2", len(items))
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.(map[string]any)["object"].(map[string]any)["id"].(string))
	}
	if ids[0] != created["id"] || ids[1] != fileIRI {
		t.Errorf("outbox items %v, want the API's then the file's (newest first)", ids)
	}
	article := getJSON(t, fileIRI, "application/activity+json")
	if article["type"] != "Article" || article["name"] != "Keeping the libraries open, revised" || article["attributedTo"] != self {
		t.Errorf("article %v", article)
	}
	req, _ = http.NewRequest(http.MethodGet, fileIRI, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(html), "Keeping the libraries open, revised") {
		t.Errorf("HTML page = %d", resp.StatusCode)
	}

	// SIGTERM: a graceful exit, status 0.
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Errorf("after SIGTERM the node exited with %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the node did not exit after SIGTERM")
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown in the log")
	}
}

// cleanEnv is the test's environment without any POLLEN_* variable.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "POLLEN_") {
			env = append(env, kv)
		}
	}
	return env
}

// waitReady polls /readyz until it answers 200, failing if the node exits.
func waitReady(t *testing.T, base string, exited <-chan error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("the node exited before it was ready: %v", err)
		case <-ctx.Done():
			t.Fatal("the node never became ready")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func run(t *testing.T, dir string, env []string, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pollen %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func fetch(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("%s %s: %d, not JSON: %v", req.Method, req.URL, resp.StatusCode, err)
	}
	return resp.StatusCode, m
}

func getJSON(t *testing.T, u, accept string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	status, m := fetch(t, req)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d %v", u, status, m)
	}
	return m
}

// syncBuffer collects the node's output from two pipes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
