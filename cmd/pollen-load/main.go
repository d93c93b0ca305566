// Command pollen-load measures a Pollen node on this machine: start-up to
// ready and idle memory of the real binary, requests a second for the actor
// and a case study's Article, signed Create activities accepted and durably
// stored a second, delivery fan-out beside the RSA-2048 signing rate, and
// (--only crash) how soon a node killed mid fan-out reaches its slow
// followers after a restart, and (--only hold) the node's memory while
// 1,500 inbox bodies are held open, and (--only timeline) the Mastodon
// API's home and public timelines over 100,000 statuses, and (--only
// search) the feed search of the API and the /feed page over a generated
// corpus of case studies (1,000,000 by default, kept with --data and
// --schema to be measured again), (--only idle) the RSS of a node at
// rest after a few pages, on the database as it is (a kept corpus too),
// and (--only hub) a hub relaying a member's case study to its 2,000
// followers. Everything runs on loopback; see
// docs/benchmarks.md.
//
// It is a command of its own, not a pollen subcommand, so that the load
// generator, its fake remote actors and its direct database set-up never
// ship in the node's binary; it drives that binary as an operator would.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	pollen      string
	database    string
	nodeURL     string
	phases      map[string]bool
	starts      int
	connections int
	duration    time.Duration
	requests    int
	inboxCount  int
	senders     int
	followers   int
	keep        bool
	// crashFollowers and crashDelay shape the crash phase.
	crashFollowers int
	crashDelay     time.Duration
	hold           int
	holdFor        time.Duration
	// The search phase: the corpus it fills the database with, and where
	// it keeps it to be measured again.
	caseStudies, organisations int
	searchConns                int
	dataDir, schema            string
	// quiet is how long the idle phase leaves the node quiet.
	quiet time.Duration
	// The hub phase: its members, its followers (some of them of its
	// topic actor too) and the case studies relayed.
	hubMembers, hubFollowers          int
	hubTopicFollowers, hubCaseStudies int
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pollen-load:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, errOut io.Writer) (options, error) {
	var o options
	var only string
	fs := flag.NewFlagSet("pollen-load", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.pollen, "pollen", "", "the pollen binary to measure (default: go build ./cmd/pollen into a temp folder)")
	fs.StringVar(&o.database, "database", "sqlite", `"sqlite" (a fresh file) or a postgres:// URL (a fresh schema is made in it and dropped afterwards)`)
	fs.StringVar(&o.nodeURL, "url", "", "measure a node already running at this loopback URL (get and inbox only; the inbox check needs --database to be the node's database)")
	fs.StringVar(&only, "only", "startup,get,inbox,fanout", "phases to run, comma-separated (crash, hold, timeline, search, idle and hub run only when named)")
	fs.IntVar(&o.starts, "starts", 5, "how many restarts to time (startup and crash phases)")
	fs.IntVar(&o.connections, "connections", 32, "concurrent connections for the GET phase")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "how long each GET run lasts (at most a minute)")
	fs.IntVar(&o.requests, "requests", 0, "stop each GET run after this many requests instead (0: by duration)")
	fs.IntVar(&o.inboxCount, "inbox-count", 6000, "signed Create activities to send (at most 100,000)")
	fs.IntVar(&o.senders, "senders", 32, "concurrent senders, each a fake remote actor")
	fs.IntVar(&o.followers, "followers", 1000, "followers, each on its own inbox, for the fan-out")
	fs.IntVar(&o.crashFollowers, "crash-followers", 32, "slow followers for the crash phase")
	fs.DurationVar(&o.crashDelay, "crash-delay", time.Second, "how long each follower takes to answer in the crash phase")
	fs.IntVar(&o.hold, "hold", 1500, "connections holding an inbox body open, for the hold phase")
	fs.DurationVar(&o.holdFor, "hold-for", 10*time.Second, "how long the hold phase holds them (at most a minute)")
	fs.IntVar(&o.caseStudies, "case-studies", 1_000_000, "case studies the search phase fills the database with")
	fs.IntVar(&o.organisations, "organisations", 5000, "organisations they come from (search phase)")
	fs.IntVar(&o.searchConns, "search-connections", 4, "concurrent connections of the search phase")
	fs.StringVar(&o.dataDir, "data", "", "the node's data folder, kept and used again by the next run (default: a fresh temporary one)")
	fs.StringVar(&o.schema, "schema", "", "with a postgres:// --database, the schema to use, kept and used again (default: a fresh one)")
	fs.DurationVar(&o.quiet, "quiet", 30*time.Second, "how long the idle phase leaves the node quiet before its last RSS reading (2s to 10m)")
	fs.IntVar(&o.hubMembers, "hub-members", 500, "member actors the hub follows, each with its own key (hub phase)")
	fs.IntVar(&o.hubFollowers, "hub-followers", 2000, "followers of the hub, each on its own inbox (hub phase)")
	fs.IntVar(&o.hubTopicFollowers, "hub-topic-followers", 200, "how many of those follow the hub's topic actor of the case studies' area too (hub phase)")
	fs.IntVar(&o.hubCaseStudies, "hub-case-studies", 1, "case studies members send the hub, each relayed to every follower (hub phase)")
	fs.BoolVar(&o.keep, "keep", false, "keep the node's data folder (and PostgreSQL schema) afterwards")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.phases = map[string]bool{}
	for _, p := range strings.Split(only, ",") {
		switch p = strings.TrimSpace(p); p {
		case "startup", "get", "inbox", "fanout", "crash", "hold", "timeline", "search", "idle", "hub":
			o.phases[p] = true
		case "":
		default:
			return o, fmt.Errorf("--only: unknown phase %q (startup, get, inbox, fanout, crash, hold, timeline, search, idle, hub)", p)
		}
	}
	if err := checkOptions(o); err != nil {
		return o, err
	}
	if o.nodeURL != "" {
		if err := checkLoopback(o.nodeURL); err != nil {
			return o, err
		}
		if o.phases["startup"] || o.phases["fanout"] || o.phases["crash"] || o.phases["hold"] || o.phases["timeline"] || o.phases["search"] || o.phases["idle"] || o.phases["hub"] {
			delete(o.phases, "idle")
			delete(o.phases, "hub")
			delete(o.phases, "timeline")
			delete(o.phases, "search")
			delete(o.phases, "startup")
			delete(o.phases, "fanout")
			delete(o.phases, "crash")
			delete(o.phases, "hold")
		}
	}
	return o, nil
}

// checkOptions refuses flags out of their ranges.
func checkOptions(o options) error {
	switch {
	case o.duration <= 0 || o.duration > time.Minute:
		return fmt.Errorf("--duration must be above 0 and at most a minute")
	case o.requests < 0 || o.requests > 10_000_000:
		return fmt.Errorf("--requests must be 0 to 10,000,000")
	case o.connections < 1 || o.connections > 1024:
		return fmt.Errorf("--connections must be 1 to 1024")
	case o.inboxCount < 1 || o.inboxCount > 100_000:
		return fmt.Errorf("--inbox-count must be 1 to 100,000")
	case o.senders < 1 || o.senders > 256:
		return fmt.Errorf("--senders must be 1 to 256")
	case o.followers < 1 || o.followers > 20_000:
		return fmt.Errorf("--followers must be 1 to 20,000")
	case o.hold < 1 || o.hold > 5000:
		return fmt.Errorf("--hold must be 1 to 5,000")
	case o.holdFor <= 0 || o.holdFor > time.Minute:
		return fmt.Errorf("--hold-for must be above 0 and at most a minute")
	case o.caseStudies < 1 || o.caseStudies > 10_000_000:
		return fmt.Errorf("--case-studies must be 1 to 10,000,000")
	case o.organisations < 1 || o.organisations > 100_000 || o.organisations > o.caseStudies:
		return fmt.Errorf("--organisations must be 1 to 100,000, and at most --case-studies")
	case o.searchConns < 1 || o.searchConns > 64:
		return fmt.Errorf("--search-connections must be 1 to 64")
	case o.schema != "" && o.dataDir == "":
		return fmt.Errorf("--schema needs --data (the node's keys and address are kept there)")
	case o.schema != "" && !validSchema(o.schema):
		return fmt.Errorf("--schema %q: want lower-case letters, digits and _", o.schema)
	case o.quiet < 2*time.Second || o.quiet > 10*time.Minute:
		return fmt.Errorf("--quiet must be 2s to 10m")
	case o.starts < 1 || o.starts > 50:
		return fmt.Errorf("--starts must be 1 to 50")
	case o.crashFollowers < 1 || o.crashFollowers > 1000:
		return fmt.Errorf("--crash-followers must be 1 to 1,000")
	case o.crashDelay < 0 || o.crashDelay > time.Minute:
		return fmt.Errorf("--crash-delay must be 0 to a minute")
	case o.hubMembers < 1 || o.hubMembers > 5000:
		return fmt.Errorf("--hub-members must be 1 to 5,000")
	case o.hubFollowers < 1 || o.hubFollowers > 20_000:
		return fmt.Errorf("--hub-followers must be 1 to 20,000")
	case o.hubTopicFollowers < 0 || o.hubTopicFollowers > o.hubFollowers:
		return fmt.Errorf("--hub-topic-followers must be 0 to --hub-followers")
	case o.hubCaseStudies < 1 || o.hubCaseStudies > 100:
		return fmt.Errorf("--hub-case-studies must be 1 to 100")
	}
	return nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(out, "pollen-load: %s, GOMAXPROCS %d, %s, load average %s\n", runtime.Version(), runtime.GOMAXPROCS(0), dbName(o.database), strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))

	if o.nodeURL != "" {
		n := &node{url: strings.TrimRight(o.nodeURL, "/")}
		if o.database != "sqlite" {
			n.dsn = o.database
		}
		return measure(ctx, o, n, out)
	}
	bin := o.pollen
	if bin == "" {
		dir, err := os.MkdirTemp("", "pollen-load-bin-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if bin, err = buildPollen(ctx, dir); err != nil {
			return err
		}
	}
	db, err := newDatabase(ctx, o)
	if err != nil {
		return err
	}
	defer db.close()
	if o.phases["startup"] {
		if err := measureStartup(ctx, o, bin, db, out); err != nil {
			return err
		}
	}
	if o.phases["crash"] {
		if err := measureCrash(ctx, o, bin, db, out); err != nil {
			return fmt.Errorf("crash: %w", err)
		}
		if err := db.reset(ctx); err != nil {
			return err
		}
	}
	if o.phases["hold"] {
		if err := measureHold(ctx, o, bin, db, out); err != nil {
			return fmt.Errorf("hold: %w", err)
		}
	}
	if o.phases["hub"] {
		if err := measureHub(ctx, o, bin, db, out); err != nil {
			return fmt.Errorf("hub: %w", err)
		}
		if err := db.reset(ctx); err != nil {
			return err
		}
	}
	if o.phases["get"] || o.phases["inbox"] || o.phases["fanout"] || o.phases["timeline"] || o.phases["search"] {
		n, err := startNode(ctx, bin, db)
		if err != nil {
			return err
		}
		err = measure(ctx, o, n, out)
		n.stop()
		if err != nil {
			return err
		}
	}
	if o.phases["idle"] {
		// Last, on what the phases before stored (the search corpus).
		if err := measureIdle(ctx, o, bin, db, out); err != nil {
			return fmt.Errorf("idle: %w", err)
		}
	}
	return nil
}

// measure runs the phases that need a running node.
func measure(ctx context.Context, o options, n *node, out io.Writer) error {
	if o.phases["get"] {
		if err := measureGets(ctx, o, n, out); err != nil {
			return fmt.Errorf("get: %w", err)
		}
	}
	if o.phases["inbox"] {
		if err := measureInbox(ctx, o, n, out); err != nil {
			return fmt.Errorf("inbox: %w", err)
		}
	}
	if o.phases["fanout"] {
		if err := measureFanOut(ctx, o, n, out); err != nil {
			return fmt.Errorf("fan-out: %w", err)
		}
	}
	if o.phases["timeline"] {
		if err := measureTimelines(ctx, o, n, out); err != nil {
			return fmt.Errorf("timeline: %w", err)
		}
	}
	if o.phases["search"] {
		if err := measureSearch(ctx, o, n, out); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	if n.pid != 0 {
		if rss, err := rssMB(n.pid); err == nil {
			fmt.Fprintf(out, "rss after load:     %.1f MB\n", rss)
		}
	}
	return nil
}

func dbName(database string) string {
	if database == "sqlite" {
		return "SQLite"
	}
	return "PostgreSQL"
}

// checkLoopback refuses a node URL that is not on a loopback address: the
// command generates load, and only against this machine.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("--url %q: want http://127.0.0.1:PORT", raw)
	}
	switch h := u.Hostname(); {
	case h == "localhost", strings.HasPrefix(h, "127."), h == "::1":
		return nil
	}
	return fmt.Errorf("--url %q: only loopback addresses are measured", raw)
}
