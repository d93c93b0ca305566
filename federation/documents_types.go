package federation

import "github.com/pollen-coop/pollen/federation/apdoc"

// The ActivityStreams documents this node serves and sends (see
// federation/apdoc).
type (
	Collection    = apdoc.Collection
	Activity      = apdoc.Activity
	Article       = apdoc.Article
	Source        = apdoc.Source
	Tag           = apdoc.Tag
	Document      = apdoc.Document
	Tombstone     = apdoc.Tombstone
	ActorDocument = apdoc.ActorDocument
	Endpoints     = apdoc.Endpoints
	PublicKey     = apdoc.PublicKey
	PropertyValue = apdoc.PropertyValue
)
