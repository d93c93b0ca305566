// Package corpus makes the synthetic case studies of pollen-load's search
// phase: organisations and case studies drawn from a fixed seed, so that
// the same flags make the same corpus, with rare words to search for.
package corpus

import (
	"fmt"
	"html"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
)

// Seed seeds every random choice of the corpus: the same flags
// make the same case studies, so that runs compare.
const Seed = 20261202

// Topics is how many topic words a case study holds.
const Topics = 5

// corpusStart and corpusEnd bound the publication dates.
var (
	corpusStart = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	corpusEnd   = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
)

// Organisation is one of the authors of the corpus.
type Organisation struct {
	Name, Host, Town        string
	Kind, Region, Ownership string
}

// OrganisationAt is organisation i of the corpus: its town, type,
// region and ownership model.
func OrganisationAt(i int) Organisation {
	r := rand.New(rand.NewPCG(Seed, uint64(i)<<1|1))
	town := placeStarts[r.IntN(len(placeStarts))] + placeEnds[r.IntN(len(placeEnds))]
	k := orgKinds[r.IntN(len(orgKinds))]
	return Organisation{
		Name: town + " " + k.names[r.IntN(len(k.names))], Host: fmt.Sprintf("org%d.example", i), Town: town,
		Kind: k.kind, Region: config.ITL1Regions[r.IntN(len(config.ITL1Regions))], Ownership: k.ownership[r.IntN(len(k.ownership))],
	}
}

// Author is the index of the organisation that wrote case study i
// of a corpus from orgs organisations: a few write many, most a few.
func Author(i, orgs int) int {
	u := rand.New(rand.NewPCG(Seed^0x5eed, uint64(i))).Float64()
	return min(int(u*u*float64(orgs)), orgs-1)
}

// CaseStudy is case study i of the corpus, by the organisation
// org (whose actor is actorID), and its topic words: drawn at random,
// everything else written around them.
func CaseStudy(i int, org Organisation, actorID int64) (models.CaseStudy, [Topics]string) {
	r := rand.New(rand.NewPCG(Seed, uint64(i)<<1))
	var topics [Topics]string
	for k := range topics {
		for topics[k] == "" || slices.Contains(topics[:k], topics[k]) {
			topics[k] = TopicWords[r.IntN(len(TopicWords))]
		}
	}
	area := service.ServiceAreas[min(r.IntN(len(service.ServiceAreas)+4), len(service.ServiceAreas)-1)]
	title := fmt.Sprintf(titleForms[r.IntN(len(titleForms))], capital(topics[0]), topics[1], org.Town)
	summary := fmt.Sprintf("%s %s its %s service around %s, %s and %s.", org.Name,
		summaryVerbs[r.IntN(len(summaryVerbs))], area, topics[1], topics[2], topics[3])
	var body, paras []string
	for p := range 3 {
		var para []string
		for range 3 + r.IntN(3) {
			para = append(para, bodySentences[r.IntN(len(bodySentences))])
		}
		para = append(para, fmt.Sprintf("The %s work mattered most here.", topics[(p+2)%Topics]))
		body = append(body, strings.Join(para, " "))
		paras = append(paras, "<p>"+html.EscapeString(body[p])+"</p>")
	}
	outcomes := make(models.StringList, 1+r.IntN(3))
	for k := range outcomes {
		outcomes[k] = fmt.Sprintf(outcomeForms[r.IntN(len(outcomeForms))], 5+r.IntN(60))
	}
	lessons := make(models.StringList, 1+r.IntN(3))
	for k := range lessons {
		lessons[k] = fmt.Sprintf(lessonForms[r.IntN(len(lessonForms))], topics[4-k%2])
	}
	at := corpusStart.Add(time.Duration(r.Int64N(int64(corpusEnd.Sub(corpusStart)/time.Minute))) * time.Minute)
	iri := fmt.Sprintf("https://%s/case-studies/%d", org.Host, i)
	c := models.CaseStudy{
		IRI: iri, URL: iri, ActorID: actorID, Title: title, Summary: summary,
		Body: strings.Join(body, "\n\n"), Content: strings.Join(paras, "\n"),
		OrganisationType: org.Kind, ServiceArea: area, Region: org.Region, Stage: service.Stages[r.IntN(len(service.Stages))],
		OwnershipModel: org.Ownership, Outcomes: outcomes, Lessons: lessons,
		Tags: models.StringList{topics[0], topics[2]}, Published: at, Updated: at,
	}
	if r.IntN(10) < 7 {
		c.SavingsAmount = strconv.Itoa((1 + r.IntN(400)) * 500)
		c.SavingsCurrency = savingsCurrencies[r.IntN(len(savingsCurrencies))]
		c.SavingsPeriod = savingsPeriods[r.IntN(len(savingsPeriods))]
	}
	return c, topics
}

// capital is s with its first letter in upper case.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
