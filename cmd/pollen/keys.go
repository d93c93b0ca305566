package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/node"
)

func (a *app) keysCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage the organisation's signing key"}
	cmd.AddCommand(&cobra.Command{
		Use:   "rotate",
		Short: "Replace the RSA key pair and send the new key to followers",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			if err := n.Service.RotateKey(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintln(a.out, "rotated the key; followers are sent the new one")
			return nil
		}),
	})
	return cmd
}
