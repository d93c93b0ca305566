package federation

import (
	"context"
	"errors"

	"github.com/pollen-coop/pollen/federation/delivery"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// The delivery queue and its runner are package delivery; the service
// queues activities there (fanout.go) and keeps what the runner asks of it
// and what the surfaces ask of the queue.

// Delivery returns the node's delivery runner, which node runs (Run)
// beside the HTTP server.
func (s *Service) Delivery() *delivery.Runner { return s.deliveries }

// QueueView is the delivery queue as the API and the CLI show it.
type QueueView = delivery.QueueView

// Queue returns the queue's counts and its latest jobs (at most limit,
// 1 to 100, 20 when 0) in state, most recently changed first; an empty
// state means pending, retrying and dead jobs, the ones worth a look. It
// returns a 400 *apperr.Error for an unknown state or a bad limit, and the
// store's errors.
func (s *Service) Queue(ctx context.Context, state string, limit int) (QueueView, error) {
	v, err := s.deliveries.Queue(ctx, state, limit)
	var qe *delivery.QueryError
	if errors.As(err, &qe) {
		return v, &apperr.Error{Kind: apperr.Invalid, Message: qe.Message, Err: err}
	}
	return v, err
}

// removeFollowersAt is the delivery runner's delivery.InboxGoneFunc: it
// removes the followers whose inbox answered 410 Gone.
func (s *Service) removeFollowersAt(ctx context.Context, inbox string) error {
	n, err := s.store.Follows.RemoveFollowersAt(ctx, inbox)
	if err != nil {
		return err
	}
	s.log.Info("removed followers whose inbox is gone", "inbox", inbox, "followers", n)
	return nil
}
