package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/models/policy"
	"github.com/pollen-coop/pollen/testrig"
)

// policyFixture is a node with peers on two hosts (one with a port) and
// a third peer's actor blocked alone, each with a case study, a reply to
// the node's case study and a follow of the node.
type policyFixture struct {
	s       *models.Store
	local   models.Actor
	peers   []models.Actor // b.example, c.example:8443, d.example
	own     models.CaseStudy
	cases   []models.CaseStudy
	replies []models.Note
	hosts   []string
}

func newPolicyFixture(t *testing.T, db testrig.DB) policyFixture {
	t.Helper()
	ctx := context.Background()
	s, local := storeWithActor(t, db)
	f := policyFixture{s: s, local: local, own: newCaseStudy(local.ID, "own", 0)}
	if err := s.CaseStudies.Create(ctx, &f.own); err != nil {
		t.Fatal(err)
	}
	for i, host := range []string{"b.example", "c.example:8443", "d.example"} {
		a := newActor("https://"+host+"/actors/peer", false)
		a.Host = host
		if err := s.Actors.Create(ctx, &a); err != nil {
			t.Fatal(err)
		}
		c := newCaseStudy(a.ID, "peer-"+host, i+1)
		c.Local, c.Slug, c.IRI = false, nil, "https://"+host+"/case-studies/one"
		if err := s.CaseStudies.Create(ctx, &c); err != nil {
			t.Fatal(err)
		}
		n := models.Note{IRI: "https://" + host + "/notes/1", ActorID: a.ID, CaseStudyID: &f.own.ID, InReplyTo: f.own.IRI,
			Content: "<p>Hi</p>", Visibility: models.VisibilityPublic, Published: c.Published}
		if err := s.Notes.Create(ctx, &n); err != nil {
			t.Fatal(err)
		}
		follow := models.Follow{ActivityID: "https://" + host + "/follows/1", ActorID: a.ID, TargetID: local.ID, State: models.FollowAccepted}
		if err := s.Follows.Save(ctx, &follow); err != nil {
			t.Fatal(err)
		}
		if err := s.Notifications.Add(ctx, &models.Notification{Type: models.NotifyFollow, ActorID: a.ID}); err != nil {
			t.Fatal(err)
		}
		f.peers, f.cases, f.replies = append(f.peers, a), append(f.cases, c), append(f.replies, n)
		f.hosts = append(f.hosts, host)
	}
	return f
}

// visible is what each read shows of the peers: the hosts whose content
// it holds, in the fixture's order.
func (f policyFixture) visible(t *testing.T) map[string][]string {
	t.Helper()
	ctx := context.Background()
	byActor := func(ids []int64) []string {
		var out []string
		for i, p := range f.peers {
			if slices.Contains(ids, p.ID) {
				out = append(out, f.hosts[i])
			}
		}
		return out
	}
	got := map[string][]string{}
	cs, _, err := f.s.CaseStudies.List(ctx, models.CaseStudyQuery{})
	must(t, err)
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ActorID)
	}
	got["list"] = byActor(ids)
	entries, err := f.s.Timelines.Page(ctx, models.TimelineQuery{RemoteOnly: true})
	must(t, err)
	ids = nil
	for _, e := range entries {
		ids = append(ids, e.ActorID)
	}
	got["timeline"] = byActor(ids)
	ds, _, err := f.s.Notes.Discussion(ctx, f.own.ID, 20, 0)
	must(t, err)
	ids = nil
	for _, d := range ds {
		ids = append(ids, d.ActorID)
	}
	got["discussion"] = byActor(ids)
	ns, err := f.s.Notifications.Page(ctx, models.NotificationQuery{})
	must(t, err)
	ids = nil
	for _, n := range ns {
		ids = append(ids, n.ActorID)
	}
	got["notifications"] = byActor(ids)
	res, err := f.s.CaseStudies.Search(ctx, models.CaseStudySearch{})
	must(t, err)
	ids = nil
	for _, h := range res.Hits {
		ids = append(ids, h.CaseStudy.ActorID)
	}
	got["search"] = byActor(ids)
	ids = nil
	for _, c := range f.cases {
		if e, err := f.s.Timelines.ByStatusID(ctx, c.StatusID); err == nil {
			ids = append(ids, e.ActorID)
		}
		if _, err := f.s.CaseStudies.ByStatusID(ctx, c.StatusID); err == nil {
			ids = append(ids, c.ActorID)
		}
	}
	got["by status id"] = byActor(ids)
	as, err := f.s.Actors.SearchActors(ctx, "org", 20, 0)
	must(t, err)
	ids = nil
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	got["actors"] = byActor(ids)
	return got
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestFederationRules: a domain block (port included) and an actor block
// hide their content from every read and remove their follows; an
// allowed domain hides nothing; removing the blocks shows the content
// again, on both databases.
func TestFederationRules(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newPolicyFixture(t, db)
		all := []string{"b.example", "c.example:8443", "d.example"}
		check := func(when string, want []string) {
			t.Helper()
			for read, got := range f.visible(t) {
				if !slices.Equal(got, want) {
					t.Errorf("%s: %s shows %q, want %q", when, read, got, want)
				}
			}
		}
		check("no rules", all)
		before, err := f.s.CaseStudies.LastChange(ctx)
		must(t, err)
		for _, r := range []struct {
			kind, value string
			removed     int64
		}{
			{policy.KindAllow, "b.example", 0},
			{policy.KindBlock, "c.example:8443", 1},
			{policy.KindBlock, "c.example", 0},
			{policy.KindBlockActor, f.peers[2].IRI, 1},
		} {
			removed, err := f.s.Policy.Add(ctx, &models.FederationRule{Kind: r.kind, Value: r.value, Who: "command line"})
			if err != nil || removed != r.removed {
				t.Errorf("Add(%s %s) = %d, %v; want %d follows removed", r.kind, r.value, removed, err, r.removed)
			}
		}
		check("blocked", []string{"b.example"})
		if after, err := f.s.CaseStudies.LastChange(ctx); err != nil || !after.After(before) {
			t.Errorf("LastChange after a block = %v, %v; want after %v, for the feeds' ETag", after, err, before)
		}
		if _, err := f.s.Policy.Add(ctx, &models.FederationRule{Kind: policy.KindBlock, Value: "c.example:8443"}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("blocking twice = %v, want ErrConflict", err)
		}
		rules, err := f.s.Policy.List(ctx)
		if err != nil || len(rules) != 4 || rules[0].Kind != policy.KindAllow || rules[0].Who != "command line" {
			t.Errorf("List = %+v, %v", rules, err)
		}
		must(t, f.s.Policy.Remove(ctx, policy.KindBlock, "c.example:8443"))
		must(t, f.s.Policy.Remove(ctx, policy.KindBlockActor, f.peers[2].IRI))
		if err := f.s.Policy.Remove(ctx, policy.KindBlock, "c.example:8443"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("removing a rule twice = %v, want ErrNotFound", err)
		}
		check("unblocked", all)
		if ok, err := f.s.Follows.IsFollowing(ctx, f.peers[1].ID, f.local.ID); err != nil || ok {
			t.Errorf("the blocked domain's follow after the block is lifted = %v, %v; want it gone", ok, err)
		}
	})
}

// TestAllowlistModeHides: in the allowlist mode (the KindMode rule
// SetMode writes) only the allowed domains' content shows, in every read;
// allowing a domain shows its content, taking it off the list or leaving
// the mode hides or shows it again, and each change moves the feeds'
// last change; on both databases.
func TestAllowlistModeHides(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newPolicyFixture(t, db)
		all := []string{"b.example", "c.example:8443", "d.example"}
		add := func(host string) error {
			_, err := f.s.Policy.Add(ctx, &models.FederationRule{Kind: policy.KindAllow, Value: host})
			return err
		}
		for _, step := range []struct {
			name        string
			do          func() error
			wantChanged bool
			want        []string
		}{
			{"allowlist mode, nothing allowed", func() error { return nil }, true, nil},
			{"b.example allowed", func() error { return add("b.example") }, true, []string{"b.example"}},
			{"c.example without its port allowed", func() error { return add("c.example") }, false, []string{"b.example"}},
			{"c.example:8443 allowed", func() error { return add("c.example:8443") }, true, []string{"b.example", "c.example:8443"}},
			{"b.example taken off", func() error { return f.s.Policy.Remove(ctx, policy.KindAllow, "b.example") }, true, []string{"c.example:8443"}},
		} {
			before, err := f.s.CaseStudies.LastChange(ctx)
			must(t, err)
			if step.name == "allowlist mode, nothing allowed" {
				changed, err := f.s.Policy.SetMode(ctx, true)
				if err != nil || !changed {
					t.Fatalf("SetMode(true) = %v, %v; want a change", changed, err)
				}
			}
			must(t, step.do())
			after, err := f.s.CaseStudies.LastChange(ctx)
			must(t, err)
			if after.After(before) != step.wantChanged {
				t.Errorf("%s: last change moved = %v, want %v", step.name, after.After(before), step.wantChanged)
			}
			for read, got := range f.visible(t) {
				if !slices.Equal(got, step.want) {
					t.Errorf("%s: %s shows %q, want %q", step.name, read, got, step.want)
				}
			}
		}
		if changed, err := f.s.Policy.SetMode(ctx, true); err != nil || changed {
			t.Errorf("SetMode(true) again = %v, %v; want no change", changed, err)
		}
		if changed, err := f.s.Policy.SetMode(ctx, false); err != nil || !changed {
			t.Errorf("SetMode(false) = %v, %v; want a change", changed, err)
		}
		for read, got := range f.visible(t) {
			if !slices.Equal(got, all) {
				t.Errorf("open mode: %s shows %q, want %q", read, got, all)
			}
		}
	})
}
