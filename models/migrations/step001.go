package migrations

import (
	"time"

	"gorm.io/gorm"
)

func step001(tx *gorm.DB) error {
	type Actor struct {
		ID                        int64  `gorm:"primaryKey"`
		IRI                       string `gorm:"uniqueIndex;not null"`
		Local                     bool   `gorm:"not null;default:false;index"`
		Type                      string `gorm:"not null"`
		Handle                    string `gorm:"index:idx_actor_handle_host"`
		Host                      string `gorm:"index:idx_actor_handle_host"`
		Name                      string
		Summary                   string
		URL                       string
		IconURL                   string
		Inbox                     string
		SharedInbox               string
		Outbox                    string
		Followers                 string
		Following                 string
		KeyID                     string `gorm:"index"`
		PublicKeyPEM              string
		PrivateKeyPEM             string
		OrgType                   string
		Region                    string
		ServiceArea               string
		ManuallyApprovesFollowers bool
		Discoverable              bool
		Indexable                 bool
		Raw                       string
		Published                 time.Time
		FetchedAt                 *time.Time
		CreatedAt                 time.Time
		UpdatedAt                 time.Time
	}
	type CaseStudy struct {
		ID               int64   `gorm:"primaryKey"`
		IRI              string  `gorm:"uniqueIndex;not null"`
		Slug             *string `gorm:"uniqueIndex"`
		Local            bool    `gorm:"not null;default:false;index"`
		ActorID          int64   `gorm:"not null;index"`
		URL              string
		Title            string `gorm:"not null"`
		Summary          string
		Body             string
		Content          string
		OrganisationType string `gorm:"index"`
		ServiceArea      string `gorm:"index"`
		Region           string `gorm:"index"`
		Stage            string `gorm:"index"`
		Outcomes         string
		SavingsAmount    string
		SavingsCurrency  string
		SavingsPeriod    string
		OwnershipModel   string
		Lessons          string
		ContactName      string
		ContactRole      string
		ContactEmail     string
		Tags             string
		Attachments      string
		Extra            string
		Published        time.Time  `gorm:"not null;index"`
		Updated          time.Time  `gorm:"not null"`
		DeletedAt        *time.Time `gorm:"index"`
		CreatedAt        time.Time
		UpdatedAt        time.Time
	}
	type APIToken struct {
		ID         int64  `gorm:"primaryKey"`
		Name       string `gorm:"uniqueIndex;not null"`
		Hash       string `gorm:"uniqueIndex;not null"`
		CreatedAt  time.Time
		LastUsedAt *time.Time
		RevokedAt  *time.Time
	}
	return tx.Migrator().CreateTable(&Actor{}, &CaseStudy{}, &APIToken{})
}
