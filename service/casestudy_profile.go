package service

import (
	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/profile"
)

// defaults is the configuration a case study is checked against, with
// the organisation type and region it takes when it names none: the
// profile's as it is now (saved in the admin area, or configured), when
// the federation side tells it.
func (s *CaseStudies) defaults() config.Config {
	cfg := s.cfg
	if p, ok := s.fed.(interface{ NodeProfile() profile.Profile }); ok {
		now := p.NodeProfile()
		cfg.OrgType, cfg.Region = now.OrgType, now.Region
	}
	return cfg
}
