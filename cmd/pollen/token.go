package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/node"
)

func (a *app) tokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Create, list and revoke admin API tokens and the OAuth tokens of apps"}
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
		Short: "List admin tokens, then the OAuth tokens of apps",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			ts, err := n.Store.Tokens.List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tCREATED\tLAST USED\tSTATE")
			for _, t := range ts {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.Name, t.CreatedAt.Format(time.RFC3339), lastUsed(t.LastUsedAt), tokenState(t.RevokedAt))
			}
			if err := w.Flush(); err != nil {
				return err
			}
			return a.listOAuthTokens(cmd, n)
		}),
	}
	var oauthID bool
	revoke := &cobra.Command{
		Use:   "revoke NAME | --oauth ID",
		Short: "Revoke an admin token by its name, or an app's OAuth token by its ID (see token list)",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			if oauthID {
				id, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil {
					return fmt.Errorf("token revoke --oauth: %q is not a token ID", args[0])
				}
				if err := n.OAuth.RevokeOAuthToken(cmd.Context(), id); err != nil {
					return err
				}
				fmt.Fprintf(a.out, "revoked OAuth token %d\n", id)
				return nil
			}
			if err := n.Store.Tokens.Revoke(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "revoked %q\n", args[0])
			return nil
		}),
	}
	revoke.Flags().BoolVar(&oauthID, "oauth", false, "revoke the OAuth token of this ID")
	cmd.AddCommand(create, list, revoke)
	return cmd
}

// listOAuthTokens prints the apps' OAuth tokens, when there are any.
func (a *app) listOAuthTokens(cmd *cobra.Command, n *node.Node) error {
	ts, err := n.OAuth.ListOAuthTokens(cmd.Context())
	if err != nil || len(ts) == 0 {
		return err
	}
	fmt.Fprintln(a.out, "\nOAuth tokens of apps (revoke with: pollen token revoke --oauth ID):")
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tAPP\tUSER\tSCOPES\tCREATED\tLAST USED\tSTATE")
	for _, t := range ts {
		user := t.User
		if user == "" {
			user = "(the app itself)"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.App, user, t.Scopes, t.CreatedAt.Format(time.RFC3339), lastUsed(t.LastUsedAt), tokenState(t.RevokedAt))
	}
	return w.Flush()
}

func lastUsed(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.Format(time.RFC3339)
}

func tokenState(revoked *time.Time) string {
	if revoked == nil {
		return "active"
	}
	return "revoked " + revoked.Format(time.RFC3339)
}
