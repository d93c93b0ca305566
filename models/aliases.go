package models

import (
	"github.com/pollen-coop/pollen/models/accounts"
	"github.com/pollen-coop/pollen/models/media"
	"github.com/pollen-coop/pollen/models/network"
	"github.com/pollen-coop/pollen/models/notices"
	"github.com/pollen-coop/pollen/models/policy"
	"github.com/pollen-coop/pollen/models/profile"
	"github.com/pollen-coop/pollen/models/queue"
)

// The rows of the staff's accounts and audit log, of the delivery queue and
// of notifications and markers live in their own packages
// (models/accounts, models/queue, models/notices), and of the network
// around the node (models/network: topics, the directory); they are named here too,
// as every other row is.
type (
	User               = accounts.User
	Session            = accounts.Session
	SignInThrottle     = accounts.SignInThrottle
	OAuthApp           = accounts.OAuthApp
	OAuthCode          = accounts.OAuthCode
	OAuthToken         = accounts.OAuthToken
	OAuthTokenRow      = accounts.OAuthTokenRow
	APIToken           = accounts.APIToken
	Delivery           = queue.Delivery
	DeliveryCounts     = queue.DeliveryCounts
	DeliveryHostCounts = queue.HostCounts
	DeliveryResult     = queue.DeliveryResult
	ClaimQuery         = queue.ClaimQuery
	AuditEntry         = accounts.AuditEntry
	Profile            = profile.Profile
	Notification       = notices.Notification
	NotificationQuery  = notices.NotificationQuery
	Marker             = notices.Marker
	IdempotencyKey     = notices.IdempotencyKey
	FederationRule     = policy.Rule
	Topic              = network.Topic
	DirectoryNode      = network.Node
	NodeInfoRead       = network.NodeInfo
	DueNode            = network.Due
	ListedNode         = network.Listed
	NodeQuery          = network.ListQuery
	MediaFile          = media.File
)

// FoldEmail is the form an email address is stored and looked up in.
func FoldEmail(email string) string { return accounts.FoldEmail(email) }

// Delivery states.
const (
	DeliveryPending  = queue.DeliveryPending
	DeliveryRetrying = queue.DeliveryRetrying
	DeliveryDone     = queue.DeliveryDone
	DeliveryDead     = queue.DeliveryDead
)

// DeliveryStates lists the delivery states.
var DeliveryStates = queue.DeliveryStates

// Audit actions, and how long the audit log keeps an entry.
const (
	AuditPublished  = accounts.AuditPublished
	AuditEdited     = accounts.AuditEdited
	AuditDeleted    = accounts.AuditDeleted
	AuditSavedDraft = accounts.AuditSavedDraft
	AuditKeep       = accounts.AuditKeep
)

// Notification types.
const (
	NotifyFollow        = notices.NotifyFollow
	NotifyFollowRequest = notices.NotifyFollowRequest
	NotifyMention       = notices.NotifyMention
	NotifyReblog        = notices.NotifyReblog
)
