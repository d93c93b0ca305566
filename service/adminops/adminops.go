// Package adminops is what the admin area does beyond the case studies,
// each change recorded in the audit log with who made it (the actor
// service.Acting put in the context): the follows both ways, the
// moderation of the received notes, the retrying of dead deliveries, and
// the staff's users and tokens.
package adminops

import (
	"context"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
)

// The audit log's actions of this package.
const (
	Followed        = "followed"
	Unfollowed      = "unfollowed"
	Approved        = "approved follower"
	Rejected        = "rejected follower"
	RemovedFollower = "removed follower"
	HidReply        = "hid reply"
	ShowedReply     = "showed reply"
	DeletedReply    = "deleted reply"
	Retried         = "retried deliveries"
	CreatedUser     = "created user"
	DisabledUser    = "disabled user"
	ResetPassword   = "reset password"
	RevokedToken    = "revoked token"
	RevokedApp      = "revoked app"
)

// record adds to the audit log, through store (a transaction's, when the
// change is in one), that the actor of ctx did action to target, called
// title.
func record(ctx context.Context, store *models.Store, action, target, title string) error {
	a := service.ActorOf(ctx)
	return store.Audit.Record(ctx, &models.AuditEntry{UserID: a.UserID, Who: a.Name, Action: action, Target: target, Title: title})
}
