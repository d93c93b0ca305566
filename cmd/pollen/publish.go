package main

import (
	"fmt"
	"os"

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
			v, created, err := n.CaseStudies.UpsertCaseStudy(ctx, in)
			if err != nil {
				return describe(err)
			}
			verb := "updated"
			switch {
			case v.Draft:
				verb = "saved draft"
			case created:
				verb = "published"
			}
			fmt.Fprintf(a.out, "%s %s\n%s\n", verb, v.Title, v.ID)
			return nil
		},
	}
	cmd.Flags().BoolVar(&draft, "draft", false, "save it as a draft: neither public nor sent to followers until published")
	return cmd
}

// describe spells out a validation error field by field.
func describe(err error) error {
	fe, ok := err.(*apperr.Error)
	if !ok || len(fe.Fields) == 0 {
		return err
	}
	msg := fe.Message + ":"
	for field, reason := range fe.Fields {
		msg += "\n  " + field + " " + reason
	}
	return fmt.Errorf("%s", msg)
}
