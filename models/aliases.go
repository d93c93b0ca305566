package models

import (
	"github.com/pollen-coop/pollen/models/accounts"
	"github.com/pollen-coop/pollen/models/queue"
)

// The rows of the staff's accounts and of the delivery queue live in
// their own packages (models/accounts, models/queue); they are named here
// too, as every other row is.
type (
	User           = accounts.User
	Session        = accounts.Session
	SignInThrottle = accounts.SignInThrottle
	OAuthApp       = accounts.OAuthApp
	OAuthCode      = accounts.OAuthCode
	OAuthToken     = accounts.OAuthToken
	OAuthTokenRow  = accounts.OAuthTokenRow
	APIToken       = accounts.APIToken
	Delivery       = queue.Delivery
	DeliveryCounts = queue.DeliveryCounts
	DeliveryResult = queue.DeliveryResult
	ClaimQuery     = queue.ClaimQuery
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
