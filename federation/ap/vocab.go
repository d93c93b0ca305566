package ap

// Namespace is the IRI prefix of Pollen's extension terms.
const Namespace = "https://pollen.coop/ns#"

// PublicIRI addresses an activity to everyone.
const PublicIRI = "https://www.w3.org/ns/activitystreams#Public"

// ActivityStreams media types.
const (
	MediaTypeActivity = "application/activity+json"
	MediaTypeLDJSON   = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
)

// Context is the @context of every document Pollen serves: ActivityStreams,
// the security vocabulary for keys, and every other term defined inline, so
// that no reader has to fetch a remote context to understand a case study.
var Context = []any{
	"https://www.w3.org/ns/activitystreams",
	"https://w3id.org/security/v1",
	map[string]any{
		"pollen":                    Namespace,
		"xsd":                       "http://www.w3.org/2001/XMLSchema#",
		"toot":                      "http://joinmastodon.org/ns#",
		"schema":                    "http://schema.org/",
		"Hashtag":                   "as:Hashtag",
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"discoverable":              "toot:discoverable",
		"indexable":                 "toot:indexable",
		"featured":                  map[string]any{"@id": "toot:featured", "@type": "@id"},
		"PropertyValue":             "schema:PropertyValue",
		"value":                     "schema:value",
		"CaseStudy":                 "pollen:CaseStudy",
		"organisationType":          "pollen:organisationType",
		"serviceArea":               "pollen:serviceArea",
		"region":                    "pollen:region",
		"stage":                     "pollen:stage",
		"outcomes":                  map[string]any{"@id": "pollen:outcomes", "@container": "@list"},
		"savings":                   "pollen:savings",
		"amount":                    map[string]any{"@id": "pollen:amount", "@type": "xsd:decimal"},
		"currency":                  "pollen:currency",
		"period":                    "pollen:period",
		"ownershipModel":            "pollen:ownershipModel",
		"lessons":                   map[string]any{"@id": "pollen:lessons", "@container": "@list"},
		"contact":                   "pollen:contact",
		"role":                      "pollen:role",
		"email":                     "pollen:email",
		"pollenRole":                "pollen:nodeRole",
	},
}

// Savings is the savings extension object; amount is an xsd:decimal
// written as a string so that it reads back exactly.
type Savings struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Period   string `json:"period,omitempty"`
}

// Contact is the contact extension object.
type Contact struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Email string `json:"email,omitempty"`
}
