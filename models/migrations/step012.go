package migrations

import (
	"time"

	"gorm.io/gorm"
)

// topic012 is the frozen shape of the topics step012 creates: a hub's
// followable actor of one service area.
type topic012 struct {
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

func (topic012) TableName() string { return "topics" }

// node012 is the frozen shape of the network directory step012 creates:
// one row per node (its actor) this node knows, with what its NodeInfo
// said when last read.
type node012 struct {
	ID      int64  `gorm:"primaryKey"`
	ActorID int64  `gorm:"not null;uniqueIndex:idx_nodes_actor"`
	Host    string `gorm:"not null;index:idx_nodes_host"`
	// Via is how it became known: following, follower, announced.
	Via              string `gorm:"not null;default:''"`
	Software         string `gorm:"not null;default:''"`
	SoftwareVersion  string `gorm:"not null;default:''"`
	OrganisationType string `gorm:"not null;default:''"`
	Region           string `gorm:"not null;default:''"`
	CaseStudies      int64  `gorm:"not null;default:0"`
	LastActivity     *time.Time
	Dead             bool `gorm:"not null;default:false"`
	Failures         int  `gorm:"not null;default:0"`
	CheckedAt        *time.Time
	NextCheckAt      time.Time `gorm:"not null;index:idx_nodes_next_check"`
	CreatedAt        time.Time `gorm:"not null;index:idx_nodes_created_at"`
}

func (node012) TableName() string { return "nodes" }

// step012 adds a hub's topic actors and the network directory.
func step012(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&topic012{}, &node012{})
}
