package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestFollowCommandsAudited: pollen follow and unfollow reach the peer
// and are in the audit log as the command line's, as the admin area's
// follows are.
func TestFollowCommandsAudited(t *testing.T) {
	db, dir := testrig.SQLite(t), t.TempDir()
	t.Setenv("POLLEN_ALLOW_PRIVATE_NETWORKS", "true")
	peer := testrig.StartRemote(t)
	host := strings.TrimPrefix(peer.URL, "http://")
	for _, args := range [][]string{{"follow", peer.ActorIRI}, {"unfollow", peer.ActorIRI}} {
		if out, err := runPollen(t, db, dir, args...); err != nil {
			t.Fatalf("pollen %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	rows, _, err := testrig.Store(t, db).Audit.List(context.Background(), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Who+" "+r.Action+" "+r.Target)
	}
	for _, want := range []string{"command line followed alice@" + host, "command line unfollowed " + peer.ActorIRI} {
		if !slices.Contains(got, want) {
			t.Errorf("the audit log misses %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
}
