package models

import "github.com/pollen-coop/pollen/models/policy"

// notHidden is the condition of the rows of remote content shown: none by
// an actor of a blocked domain or a blocked actor (their content is kept,
// and shows again when the block is lifted).
const notHidden = "actor_id NOT IN (" + policy.HiddenActorIDs + ")"
