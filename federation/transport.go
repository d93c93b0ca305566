package federation

import "github.com/pollen-coop/pollen/federation/transport"

// The node's outgoing HTTP client is package transport; these are its
// names as the fetching code here uses them.

// Response is an answer the transport read whole.
type Response = transport.Response

// Limits and headers of the transport's requests.
const (
	// MaxDocumentSize is the largest ActivityStreams or WebFinger document
	// the node reads.
	MaxDocumentSize = transport.MaxDocumentSize
	// AcceptActivity is the Accept header of every ActivityStreams GET.
	AcceptActivity = transport.AcceptActivity
)

// The transport's errors; check them with errors.Is.
var (
	// ErrPrivateAddress is transport.ErrPrivateAddress: a request refused
	// because the host is on a private network.
	ErrPrivateAddress = transport.ErrPrivateAddress
	// ErrTooLarge is transport.ErrTooLarge: an answer over the limit.
	ErrTooLarge = transport.ErrTooLarge
	// ErrCrossOrigin is transport.ErrCrossOrigin: a redirect to another
	// origin than the one asked, not followed.
	ErrCrossOrigin = transport.ErrCrossOrigin
)
