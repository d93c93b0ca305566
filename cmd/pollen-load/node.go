package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make and drop the schema
)

// database is where the measured node keeps its data.
type database struct {
	dir    string // the node's data folder
	dsn    string // POLLEN_DATABASE_URL; empty for SQLite in dir
	admin  *sql.DB
	schema string
	keep   bool
	// addr is where the node listens, the same on every start: its IDs
	// are built from it and cannot change.
	addr string
	// extra is added to the node's environment (the crash phase).
	extra []string
}

func newDatabase(ctx context.Context, o options) (*database, error) {
	db := &database{dir: o.dataDir, keep: o.keep || o.dataDir != "" || o.schema != ""}
	var err error
	if db.dir == "" {
		if db.dir, err = os.MkdirTemp("", "pollen-load-data-"); err != nil {
			return nil, err
		}
	} else if err := os.MkdirAll(db.dir, 0o750); err != nil {
		return nil, err
	}
	if db.addr, err = keptAddr(db.dir, o.dataDir != ""); err != nil {
		return nil, err
	}
	if o.database == "sqlite" {
		return db, nil
	}
	spec := o.database
	if !strings.HasPrefix(spec, "postgres://") && !strings.HasPrefix(spec, "postgresql://") {
		return nil, fmt.Errorf("--database %q: want sqlite or a postgres:// URL", spec)
	}
	db.schema = o.schema
	if db.schema == "" {
		raw := make([]byte, 4)
		_, _ = rand.Read(raw)
		db.schema = "pollen_load_" + hex.EncodeToString(raw)
	}
	if db.admin, err = sql.Open("pgx", spec); err != nil {
		return nil, err
	}
	if _, err := db.admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+db.schema); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(spec)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", db.schema)
	u.RawQuery = q.Encode()
	db.dsn = u.String()
	return db, nil
}

// keptAddr is the address the node listens on: a free one, written in
// dir when kept so that the next run uses it again (the node's IDs are
// built from it).
func keptAddr(dir string, kept bool) (string, error) {
	file := filepath.Join(dir, "pollen-load-addr")
	if kept {
		if b, err := os.ReadFile(file); err == nil {
			return strings.TrimSpace(string(b)), nil
		}
	}
	addr, err := freeAddr()
	if err != nil || !kept {
		return addr, err
	}
	return addr, os.WriteFile(file, []byte(addr+"\n"), 0o640)
}

// validSchema reports whether name is a plain schema name.
func validSchema(name string) bool {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return name != "" && len(name) <= 63
}

// reset empties the database, for a first start.
func (db *database) reset(ctx context.Context) error {
	if db.admin != nil {
		if _, err := db.admin.ExecContext(ctx, "DROP SCHEMA "+db.schema+" CASCADE; CREATE SCHEMA "+db.schema); err != nil {
			return err
		}
	}
	entries, _ := os.ReadDir(db.dir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(db.dir, e.Name()))
	}
	return nil
}

// storeDSN is the DSN the command opens the node's database with.
func (db *database) storeDSN() string {
	if db.dsn != "" {
		return db.dsn
	}
	return filepath.Join(db.dir, "pollen.db")
}

func (db *database) close() {
	if db.keep {
		fmt.Fprintf(os.Stderr, "pollen-load: kept %s %s\n", db.dir, db.schema)
		return
	}
	if db.admin != nil {
		_, _ = db.admin.Exec("DROP SCHEMA " + db.schema + " CASCADE")
		_ = db.admin.Close()
	}
	_ = os.RemoveAll(db.dir)
}

// buildPollen builds ./cmd/pollen of the module in the working directory.
func buildPollen(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "pollen")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/pollen")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/pollen (run from the repository's root, or pass --pollen): %w", err)
	}
	return bin, nil
}

// node is a running node: one this command started (pid and cmd set) or
// one given by URL.
type node struct {
	url   string
	dsn   string // the database the command opens to count rows
	token string
	pid   int
	cmd   *exec.Cmd
	log   *bytes.Buffer
	exit  chan error
}

// env is the environment of a pollen process on db listening on addr.
func (db *database) env(addr string) []string {
	env := append(os.Environ(),
		"POLLEN_LISTEN="+addr, "POLLEN_BASE_URL=http://"+addr, "POLLEN_DATA_DIR="+db.dir,
		"POLLEN_ALLOW_PRIVATE_NETWORKS=true", "POLLEN_LOG_LEVEL=warn", "POLLEN_DELIVERY_RETRY_BASE=1s",
	)
	if db.dsn != "" {
		env = append(env, "POLLEN_DATABASE_URL="+db.dsn)
	}
	return append(env, db.extra...)
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// spawn starts `pollen serve`, with env added to its environment, and waits until /readyz answers 200; it
// returns the node and the time from exec to ready.
func spawn(ctx context.Context, bin string, db *database, env ...string) (*node, time.Duration, error) {
	addr := db.addr
	n := &node{url: "http://" + addr, dsn: db.storeDSN(), log: &bytes.Buffer{}, exit: make(chan error, 1)}
	n.cmd = exec.Command(bin, "serve")
	n.cmd.Env = append(db.env(addr), env...)
	n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := n.cmd.Start(); err != nil {
		return nil, 0, err
	}
	n.pid = n.cmd.Process.Pid
	go func() { n.exit <- n.cmd.Wait() }()
	deadline := start.Add(30 * time.Second)
	for {
		resp, err := client.Get(n.url + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return n, time.Since(start), nil
			}
		}
		select {
		case err := <-n.exit:
			return nil, 0, fmt.Errorf("pollen serve exited (%w): %s", err, n.log.String())
		case <-ctx.Done():
			n.stop()
			return nil, 0, ctx.Err()
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.stop()
			return nil, 0, fmt.Errorf("pollen serve not ready after 30s: %s", n.log.String())
		}
	}
}

// stop sends SIGTERM and waits for the process.
func (n *node) stop() {
	if n.cmd == nil || n.cmd.Process == nil {
		return
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.exit:
	case <-time.After(20 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.exit
	}
	n.cmd = nil
}

// startNode starts a node for the load phases, with an admin token.
func startNode(ctx context.Context, bin string, db *database) (*node, error) {
	token, err := createToken(ctx, bin, db)
	if err != nil {
		return nil, err
	}
	n, _, err := spawn(ctx, bin, db)
	if err != nil {
		return nil, err
	}
	n.token = token
	return n, nil
}

func createToken(ctx context.Context, bin string, db *database) (string, error) {
	cmd := exec.CommandContext(ctx, bin, "token", "create", "--name", "load-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	cmd.Env = db.env(db.addr)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pollen token create: %w: %s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// measureStartup times a first start (empty database: migrations and key
// generation) and then o.starts restarts, and reads the idle RSS.
func measureStartup(ctx context.Context, o options, bin string, db *database, out io.Writer) error {
	if err := db.reset(ctx); err != nil {
		return err
	}
	n, first, err := spawn(ctx, bin, db)
	if err != nil {
		return err
	}
	n.stop()
	var times []time.Duration
	var rss []float64
	for i := 0; i < o.starts; i++ {
		n, d, err := spawn(ctx, bin, db)
		if err != nil {
			return err
		}
		times = append(times, d)
		time.Sleep(2 * time.Second) // idle: let start-up garbage be collected
		if mb, err := rssMB(n.pid); err == nil {
			rss = append(rss, mb)
		}
		n.stop()
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	sort.Float64s(rss)
	fmt.Fprintf(out, "first start:        %d ms to ready (migrations and RSA-2048 key generation)\n", first.Milliseconds())
	fmt.Fprintf(out, "start-up to ready:  best %d ms, median %d ms, worst %d ms (%d restarts)\n",
		times[0].Milliseconds(), times[len(times)/2].Milliseconds(), times[len(times)-1].Milliseconds(), len(times))
	if len(rss) > 0 {
		fmt.Fprintf(out, "idle RSS:           best %.1f MB, median %.1f MB, worst %.1f MB\n", rss[0], rss[len(rss)/2], rss[len(rss)-1])
	}
	return nil
}

// rssMB reads a process's resident set size.
func rssMB(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, errors.New("no VmRSS")
}

// publish creates a case study through the API and returns its IRI.
func (n *node) publish(ctx context.Context, title string) (string, error) {
	if n.token == "" {
		return "", errors.New("no admin token: publishing needs a node this command started")
	}
	body, _ := json.Marshal(map[string]any{
		"title": title, "summary": "How a library service was kept open by a staff mutual.",
		"body":              "## What happened\n\nThe council and the staff formed a **mutual**; costs fell and opening hours rose.",
		"organisation_type": "council", "service_area": "libraries", "region": "North West",
		"stage": "operating", "tags": []string{"libraries", "mutuals"},
	})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, n.url+"/api/v1/case-studies", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+n.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("publish: %d %s", resp.StatusCode, data)
	}
	var cs struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &cs); err != nil || cs.ID == "" {
		return "", fmt.Errorf("publish: no id in %s", data)
	}
	return cs.ID, nil
}
