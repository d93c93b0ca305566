package node_test

import (
	"bytes"
	"context"
	"image"
	pngenc "image/png"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/adminops"
	"github.com/pollen-coop/pollen/testrig"
)

// A profile changed in the configuration reaches followers as an Update
// when the node starts again.
func TestProfileUpdateReachesFollowers(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		follow(t, b, a)
		actor, err := a.Service.LocalActor(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		a.Stop()
		opts := a.Options()
		opts.Configure = func(c *config.Config) { fast(c); c.Name = "Renamed Council"; c.Region = "Wales" }
		testrig.StartNode(t, opts)
		testrig.Eventually(t, "b sees the new name", func() bool {
			cached, err := b.Store.Actors.ByIRI(context.Background(), actor.IRI)
			return err == nil && cached.Name == "Renamed Council"
		})
	})
}

// After a key rotation, followers take the new key (from the Update that
// announces it, or by fetching it again when a signature fails) and keep
// receiving case studies.
func TestKeyRotation(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		follow(t, b, a)
		ctx := context.Background()
		before, err := a.Service.LocalActor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Service.RotateKey(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := a.Service.LocalActor(ctx)
		if after.PublicKeyPEM == before.PublicKeyPEM || after.PrivateKeyPEM == before.PrivateKeyPEM {
			t.Fatal("RotateKey kept the old key pair")
		}
		testrig.Eventually(t, "b caches the new key", func() bool {
			cached, err := b.Store.Actors.ByIRI(ctx, after.IRI)
			return err == nil && cached.PublicKeyPEM == after.PublicKeyPEM
		})
		cs := publish(t, a, "Signed with the new key")
		testrig.Eventually(t, "b accepts a case study signed with the new key", func() bool { return inFeed(t, b, cs["id"].(string)) })
	})
}

// A profile saved in the admin area reaches followers as an Update (a
// change of the website alone too, and a new icon), and outlives a restart: the
// configuration's values no longer apply once a profile is saved.
func TestSavedProfileReachesFollowers(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		follow(t, b, a)
		ctx := service.Acting(context.Background(), service.Actor{Name: "asha@example.org"})
		iri := a.Service.ActorIRI(a.Config.Handle)
		editor := adminops.NewProfile(a.Service)
		in := profile.Profile{Name: "Leeds Libraries", Summary: "Five libraries.", Region: "Yorkshire and The Humber", OrgType: "public service mutual"}
		for _, step := range []struct {
			what    string
			website string
			seen    func(models.Actor) bool
		}{
			{"the new name and region", "", func(c models.Actor) bool {
				return c.Name == "Leeds Libraries" && c.Region == "Yorkshire and The Humber"
			}},
			{"the new website", "https://libraries.example", func(c models.Actor) bool { return strings.Contains(c.Raw, "https://libraries.example") }},
			{"the new icon", "https://libraries.example", func(c models.Actor) bool { return c.IconURL == in.IconURL && strings.Contains(c.Raw, `"image/png"`) }},
		} {
			in.Website = step.website
			if step.what == "the new icon" {
				var png bytes.Buffer
				if err := pngenc.Encode(&png, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
					t.Fatal(err)
				}
				m, err := a.Media.Save(ctx, &png, "logo.png", "The organisation's icon")
				if err != nil {
					t.Fatal(err)
				}
				in.IconURL, in.IconMediaType = m.URL, m.MediaType
			}
			if _, err := editor.Save(ctx, in); err != nil {
				t.Fatal(err)
			}
			testrig.Eventually(t, "b sees "+step.what, func() bool {
				cached, err := b.Store.Actors.ByIRI(context.Background(), iri)
				return err == nil && step.seen(cached)
			})
		}
		a = testrig.Restart(t, a)
		if p := a.Service.NodeProfile(); p.Name != "Leeds Libraries" || !p.Saved {
			t.Errorf("after a restart the profile is %+v, want the saved one", p)
		}
		if actor, err := a.Service.LocalActor(context.Background()); err != nil || actor.Name != "Leeds Libraries" {
			t.Errorf("after a restart the actor is %q, %v; want the saved name", actor.Name, err)
		}
	})
}
