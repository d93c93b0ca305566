// Package service holds the use cases the surfaces (the HTTP handlers and
// the command line) call, one file per resource: case studies, tokens,
// actors and the node's health. It checks what it is given, reads and
// writes through the store, and leaves the protocol to federation: a
// change that peers must hear of is stored in the transaction that queues
// its activity. Its errors are federation's *apperr.Error values (a status and a
// message safe for clients) and the store's sentinels.
package service
