package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

func (a *app) publishCmd() *cobra.Command {
	var draft bool
	cmd := &cobra.Command{
		Use:   "publish [--draft] FILE.md",
		Short: "Publish a case study from a Markdown file with YAML front matter (again: update it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			in, err := service.ParseCaseStudyFile(args[0], data)
			if err != nil {
				return err
			}
			n, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer n.Close()
			in.Draft = in.Draft || draft
			ctx := service.Acting(cmd.Context(), service.CommandLine)
			v, did, err := n.CaseStudies.UpsertCaseStudy(ctx, in)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(a.out, "%s %s\n%s\n", upsertVerbs[did], v.Title, v.ID)
			return nil
		},
	}
	cmd.Flags().BoolVar(&draft, "draft", false, "save it as a draft: neither public nor sent to followers until published")
	return cmd
}

// upsertVerbs say what UpsertCaseStudy did.
var upsertVerbs = map[service.Upserted]string{
	service.UpsertPublished: "published", service.UpsertUpdated: "updated",
	service.UpsertUnchanged: "unchanged", service.UpsertDraft: "saved draft",
}

// describe spells out a validation error field by field, in the order of
// the fields' names; of another refusal, its message.
func describe(err error) error {
	fe, ok := err.(*apperr.Error)
	switch {
	case !ok || fe.Kind.Status() >= 500:
		return err
	case len(fe.Fields) == 0:
		return errors.New(fe.Message)
	}
	msg := fe.Message + ":"
	for _, field := range slices.Sorted(maps.Keys(fe.Fields)) {
		msg += "\n  " + field + " " + fe.Fields[field]
	}
	return fmt.Errorf("%s", msg)
}
