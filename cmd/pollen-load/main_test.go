package main

import (
	"io"
	"strings"
	"testing"
)

func TestCheckLoopback(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.0.0.16:9000/actors/pollen", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://example.org", false},
		{"https://127.0.0.1:8080", false},
		{"127.0.0.1:8080", false},
	} {
		if err := checkLoopback(tc.url); (err == nil) != tc.ok {
			t.Errorf("checkLoopback(%q) = %v, want ok %v", tc.url, err, tc.ok)
		}
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"startup", "get", "inbox", "fanout"} {
		if !o.phases[p] {
			t.Errorf("phase %s not run by default", p)
		}
	}
	if o.phases["hub"] || o.hubMembers != 500 || o.hubFollowers != 2000 {
		t.Errorf("the hub phase: run by default %v, %d members, %d followers", o.phases["hub"], o.hubMembers, o.hubFollowers)
	}
	if o.phases["hold"] || o.hold != 1500 {
		t.Errorf("the hold phase: run by default %v, %d connections", o.phases["hold"], o.hold)
	}
	if o.senders != 32 || o.followers != 1000 || o.connections != 32 {
		t.Errorf("defaults: %d senders, %d followers, %d connections", o.senders, o.followers, o.connections)
	}
	// A node given by URL is measured with GETs and the inbox only.
	o, err = parseFlags([]string{"--url", "http://127.0.0.1:8080"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.phases["startup"] || o.phases["fanout"] || o.phases["idle"] || !o.phases["get"] || !o.phases["inbox"] {
		t.Errorf("phases against a running node: %v", o.phases)
	}
	for _, bad := range [][]string{
		{"--only", "everything"},
		{"--duration", "2m"},
		{"--senders", "0"},
		{"--inbox-count", "1000000"},
		{"--url", "http://192.0.2.1:8080"},
		{"--only", "hold", "--hold", "0"},
		{"--only", "hold", "--hold-for", "2m"},
		{"--only", "search", "--case-studies", "0"},
		{"--only", "search", "--organisations", "10", "--case-studies", "5"},
		{"--only", "search", "--search-connections", "0"},
		{"--only", "search", "--schema", "search1m"},
		{"--only", "search", "--data", "/tmp/x", "--schema", "Search-1m"},
		{"--only", "idle", "--quiet", "1s"},
		{"--only", "idle", "--quiet", "11m"},
		{"--only", "hub", "--hub-members", "0"},
		{"--only", "hub", "--hub-followers", "100", "--hub-topic-followers", "101"},
		{"--only", "hub", "--hub-case-studies", "101"},
	} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("parseFlags(%s) accepted", strings.Join(bad, " "))
		}
	}
}
