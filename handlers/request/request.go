// Package request reads requests the same way on every surface of the
// HTTP layer: the body limit, content negotiation (ActivityStreams or a web
// page, decided here only), paging and filter parameters, and the folding
// of a handle's case. It writes no answer but redirects and Vary.
package request

// MaxBody is the largest request body accepted anywhere: 1 MiB.
const MaxBody = 1 << 20
