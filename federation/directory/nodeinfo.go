package directory

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrBadNodeInfo means a node's NodeInfo (its links or the document)
// could not be read.
var ErrBadNodeInfo = errors.New("directory: unreadable NodeInfo")

// maxField is the longest text kept of a NodeInfo field.
const maxField = 100

// nodeInfoSchemas are the NodeInfo schemas read, the preferred first.
var nodeInfoSchemas = []string{
	"http://nodeinfo.diaspora.software/ns/schema/2.1",
	"http://nodeinfo.diaspora.software/ns/schema/2.0",
}

// parseLinks returns the href of the preferred NodeInfo schema that
// /.well-known/nodeinfo lists.
func parseLinks(body []byte) (string, error) {
	var doc struct {
		Links []struct {
			Rel  string `json:"rel"`
			Href string `json:"href"`
		} `json:"links"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", errors.Join(ErrBadNodeInfo, err)
	}
	for _, schema := range nodeInfoSchemas {
		for _, l := range doc.Links {
			if strings.TrimRight(l.Rel, "#") == schema && l.Href != "" {
				return l.Href, nil
			}
		}
	}
	return "", ErrBadNodeInfo
}

// Info is what the directory keeps of a NodeInfo document: the software
// and its version, and the organisation type and region a Pollen node
// adds to its metadata.
type Info struct {
	Software, Version, OrganisationType, Region string
}

// parseNodeInfo reads a NodeInfo 2.0 or 2.1 document; a document without
// a software name is refused.
func parseNodeInfo(body []byte) (Info, error) {
	var doc struct {
		Software struct {
			Name    any `json:"name"`
			Version any `json:"version"`
		} `json:"software"`
		Metadata map[string]any `json:"metadata"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return Info{}, errors.Join(ErrBadNodeInfo, err)
	}
	info := Info{Software: text(doc.Software.Name), Version: text(doc.Software.Version)}
	if info.Software == "" {
		return Info{}, ErrBadNodeInfo
	}
	info.OrganisationType, info.Region = text(doc.Metadata["organisationType"]), text(doc.Metadata["region"])
	return info, nil
}

// text is v when it is a string: trimmed, valid UTF-8 without control
// characters, at most maxField characters; "" for anything else.
func text(v any) string {
	s, _ := v.(string)
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxField {
		s = string([]rune(s)[:maxField])
	}
	return s
}
