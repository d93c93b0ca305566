package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/pollen-coop/pollen/cmd/pollen-load/hubsim"
	"github.com/pollen-coop/pollen/models"
)

// hubTopic is the service area of the case studies the hub phase sends:
// one of the known areas, whose topic actor a hub makes when it starts.
const hubTopic = "libraries"

// measureHub starts a fresh node as a hub that follows o.hubMembers
// members (each accepting with its own key) and is followed by
// o.hubFollowers followers (the first o.hubTopicFollowers of them follow
// its topic actor too); then members send it o.hubCaseStudies signed
// Creates, and it times the hub's Announces reaching every follower,
// beside the signing rate, and fails unless each follower got each
// Announce exactly once.
func measureHub(ctx context.Context, o options, bin string, db *database, out io.Writer) error {
	db.extra = []string{"POLLEN_ROLE=hub"}
	defer func() { db.extra = nil }()
	if err := db.reset(ctx); err != nil {
		return err
	}
	n, err := startNode(ctx, bin, db)
	if err != nil {
		return err
	}
	defer n.stop()
	store, err := models.Open(ctx, n.dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	hub, err := hubsim.FetchActor(ctx, n.url+"/actors/pollen")
	if err != nil {
		return err
	}
	topic, err := hubsim.FetchActor(ctx, n.url+"/actors/"+hubTopic)
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := hubsim.NewMembers(o.hubMembers, hub.Inbox)
	if err != nil {
		return err
	}
	defer m.Close()
	fmt.Fprintf(out, "hub set-up:         %s %s; %d members' RSA-2048 keys made in %s\n", hub.Type, hub.ID, o.hubMembers, time.Since(start).Round(time.Millisecond))
	if err := hubFollowMembers(ctx, n, store, m, hub, out); err != nil {
		return err
	}
	f, err := hubsim.NewFollowers(o.hubFollowers, receiverHosts)
	if err != nil {
		return err
	}
	defer f.Close()
	start = time.Now()
	if err := f.FollowAll(ctx, hub, topic, o.hubTopicFollowers); err != nil {
		return err
	}
	fmt.Fprintf(out, "hub followers:      %d follow the hub (signed Follows, each Accepted), %d of them its topic actor too, in %s\n",
		o.hubFollowers, o.hubTopicFollowers, time.Since(start).Round(time.Millisecond))
	if err := waitInboxIdle(ctx, store); err != nil {
		return err
	}
	if _, err := waitDeliveries(ctx, store); err != nil {
		return err
	}
	signs, err := measureSigning()
	if err != nil {
		return err
	}
	return hubRelay(ctx, o, n, store, m, f, hub, topic, signs, out)
}

// hubRelay sends the members' Creates, waits for every follower's
// Announces, prints the rate and checks what each follower received.
func hubRelay(ctx context.Context, o options, n *node, store *models.Store, m *hubsim.Members, f *hubsim.Followers,
	hub, topic hubsim.Actor, signs signing, out io.Writer) error {
	want := int64(o.hubCaseStudies) * int64(o.hubFollowers)
	f.Expect(want)
	run := startRun(n.pid) // from the first Create sent to the last Announce received
	objects, err := m.SendCreates(ctx, hub.Inbox, o.hubCaseStudies, hubTopic)
	if err != nil {
		return fmt.Errorf("a member's Create: %w", err)
	}
	sent := time.Since(run.start)
	select {
	case <-f.Done():
	case <-time.After(10 * time.Minute):
		return fmt.Errorf("only %d of %d Announces arrived in 10 minutes", f.Announces(), want)
	case <-ctx.Done():
		return ctx.Err()
	}
	elapsed := f.Last().Sub(run.start)
	cpu, _ := cpuTime(n.pid)
	busy, total := machineBusy()
	// Jobs are marked done after the inbox answers: wait for them, so that
	// a duplicate sent late is seen by the check.
	c, err := waitDeliveries(ctx, store)
	if err != nil {
		return err
	}
	rate := float64(want) / elapsed.Seconds()
	fmt.Fprintf(out, "hub relay:          %.0f deliveries/s: %d case studies × %d followers = %d Announces in %s (first Create sent to last Announce received; the Creates took %s); queue %+v\n",
		rate, o.hubCaseStudies, o.hubFollowers, want, elapsed.Round(time.Millisecond), sent.Round(time.Millisecond), c)
	fmt.Fprintf(out, "hub CPU:            %s of node CPU, %.2f ms a delivery; the machine's cores %.0f%% busy meanwhile\n",
		(cpu - run.cpu).Round(10*time.Millisecond), float64((cpu-run.cpu).Microseconds())/1000/float64(want), 100*float64(busy-run.busy)/float64(max(1, total-run.total)))
	if err := signs.done(); err != nil {
		return err
	}
	fmt.Fprintf(out, "signing limit:      %s; the relay is %.0f%% of it (one signature a follower: no shared inbox)\n",
		signs, 100*rate/signs.rate())
	bad, notes := f.Check(hub, topic, o.hubTopicFollowers, objects)
	fmt.Fprintf(out, "hub check:          %d followers got each Announce once, from the hub's actor (%d of them follow its topic actor %s too, which sent them nothing more); %d differ\n",
		o.hubFollowers-bad, o.hubTopicFollowers, topic.ID, bad)
	for _, s := range notes {
		fmt.Fprintln(out, "                   ", s)
	}
	if bad > 0 {
		return fmt.Errorf("%d followers did not get exactly the expected activities", bad)
	}
	return nil
}

// hubFollowMembers makes the hub follow every member through the API, as
// its operator would, and waits until every member's Accept is processed.
func hubFollowMembers(ctx context.Context, n *node, store *models.Store, m *hubsim.Members, hub hubsim.Actor, out io.Writer) error {
	start := time.Now()
	if err := hubsim.Parallel(ctx, 8, m.Count(), func(i int) error { return hubsim.APIFollow(ctx, n.url, n.token, m.ActorIRI(i)) }); err != nil {
		return fmt.Errorf("follow a member: %w", err)
	}
	row, err := store.Actors.ByIRI(ctx, hub.ID)
	if err != nil {
		return err
	}
	var accepted int64
	err = waitUntil(ctx, 5*time.Minute, func() bool {
		_, accepted, err = store.Follows.Following(ctx, row.ID, models.FollowAccepted, 1, 0)
		return err == nil && accepted >= int64(m.Count())
	})
	if err != nil {
		return fmt.Errorf("%d of %d members' follows accepted (%s): %w", accepted, m.Count(), m.Failed(), err)
	}
	fmt.Fprintf(out, "hub follows:        the hub follows %d members (POST /api/v1/follows, each Accepted by the member) in %s\n",
		m.Count(), time.Since(start).Round(time.Millisecond))
	return nil
}

// waitDeliveries waits at most a minute until the node's delivery queue
// has nothing pending or retrying, and returns its counts.
func waitDeliveries(ctx context.Context, store *models.Store) (models.DeliveryCounts, error) {
	var c models.DeliveryCounts
	var err error
	werr := waitUntil(ctx, time.Minute, func() bool {
		c, err = store.Deliveries.Stats(ctx)
		return err == nil && c.Pending == 0 && c.Retrying == 0
	})
	if err == nil && werr != nil {
		err = fmt.Errorf("deliveries still queued (%+v): %w", c, werr)
	}
	return c, err
}
