// Package network holds what a node knows of the network around it: a
// hub's topic actors (one followable actor per service area) and the
// directory of the nodes this node knows, with what their NodeInfo said.
// Package models names the rows and holds the stores (Store.Topics,
// Store.Nodes).
package network

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// Topic is a hub's followable actor of one service area: the actor row
// (local, in actors) and the area it announces.
type Topic struct {
	ID int64 `gorm:"primaryKey"`
	// Area is the service area as case studies name it, lower case.
	Area string `gorm:"not null;uniqueIndex:idx_topics_area"`
	// Handle is the topic actor's handle, the area slugified.
	Handle  string `gorm:"not null;uniqueIndex:idx_topics_handle"`
	ActorID int64  `gorm:"not null;uniqueIndex:idx_topics_actor"`
	// Known marks an area of the known list; the others came from
	// received case studies and are capped in number.
	Known     bool      `gorm:"not null;default:false"`
	CreatedAt time.Time `gorm:"not null"`
}

// TopicStore reads and writes the topics. Reach it as Store.Topics.
type TopicStore struct{ dbconn.Conn }

// Create inserts a topic; ErrConflict when its area, handle or actor is
// taken.
func (s *TopicStore) Create(ctx context.Context, t *Topic) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.Now().UTC()
	}
	return dbconn.Translate(s.DB.WithContext(ctx).Create(t).Error, "create topic %q", t.Area)
}

// ByArea returns the topic of a service area (lower case), or
// ErrNotFound.
func (s *TopicStore) ByArea(ctx context.Context, area string) (Topic, error) {
	var t Topic
	err := s.DB.WithContext(ctx).Where("area = ?", area).First(&t).Error
	return t, dbconn.Translate(err, "get topic %q", area)
}

// ByHandle returns the topic whose actor has the handle, or ErrNotFound.
func (s *TopicStore) ByHandle(ctx context.Context, handle string) (Topic, error) {
	var t Topic
	err := s.DB.WithContext(ctx).Where("handle = ?", handle).First(&t).Error
	return t, dbconn.Translate(err, "get topic @%s", handle)
}

// List returns every topic: the known areas first, each group oldest
// first.
func (s *TopicStore) List(ctx context.Context) ([]Topic, error) {
	var ts []Topic
	err := s.DB.WithContext(ctx).Order("known DESC, id").Find(&ts).Error
	return ts, dbconn.Translate(err, "list topics")
}

// CountFree counts the topics made from received case studies' free-text
// areas.
func (s *TopicStore) CountFree(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&Topic{}).Where("known = ?", false).Count(&n).Error
	return n, dbconn.Translate(err, "count topics")
}
