package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/node"
)

func (a *app) tokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Create, list and revoke admin API tokens"}
	var name string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an admin token and print it (it is shown only once)",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			token, err := n.Tokens.CreateToken(cmd.Context(), name)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "Created token %q. Keep it safe: it cannot be shown again.\n%s\n", name, token)
			return nil
		}),
	}
	create.Flags().StringVar(&name, "name", "", "a name to recognise the token by (required)")
	_ = create.MarkFlagRequired("name")

	list := &cobra.Command{
		Use:   "list",
		Short: "List admin tokens",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			ts, err := n.Store.Tokens.List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tCREATED\tLAST USED\tSTATE")
			for _, t := range ts {
				used, state := "never", "active"
				if t.LastUsedAt != nil {
					used = t.LastUsedAt.Format(time.RFC3339)
				}
				if t.RevokedAt != nil {
					state = "revoked " + t.RevokedAt.Format(time.RFC3339)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.Name, t.CreatedAt.Format(time.RFC3339), used, state)
			}
			return w.Flush()
		}),
	}
	revoke := &cobra.Command{
		Use:   "revoke NAME",
		Short: "Revoke an admin token",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			if err := n.Store.Tokens.Revoke(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "revoked %q\n", args[0])
			return nil
		}),
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}
