package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/federation/policy"
	"github.com/pollen-coop/pollen/node"
)

// commandLine is who the audit log says changed the policy from here.
var commandLine = policy.Who{Name: "command line"}

func (a *app) federationCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "federation",
		Short: "Block and unblock domains and actors, and edit the allowlist (federation_mode: allowlist)",
		Long: "Block and unblock domains and actors, and edit the allowlist of the allowlist mode.\n" +
			"A domain is the host of the actors' ids, with its port when they give one (example.org:8443).\n" +
			"A running node applies a change within 30 seconds.",
	}
	f := federationCmds{a}
	cmd.AddCommand(f.federationBlockCmd(), f.federationUnblockCmd(), f.federationAllowCmd(), f.federationDisallowCmd(), f.federationListCmd())
	return cmd
}

// federationCmds are the subcommands of pollen federation.
type federationCmds struct{ *app }

func (a federationCmds) federationBlockCmd() *cobra.Command {
	var reason string
	var actor bool
	block := &cobra.Command{
		Use:   "block DOMAIN | block --actor ACTOR-URL",
		Short: "Block a domain or an actor: its requests are refused, its follows removed, its content hidden",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			p := n.Service.Policy()
			var removed int64
			var err error
			if actor {
				removed, err = p.BlockActor(cmd.Context(), commandLine, args[0], reason)
			} else {
				removed, err = p.Block(cmd.Context(), commandLine, args[0], reason)
			}
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(a.out, "Blocked %s; removed %d follows.\n", target(args[0], actor), removed)
			return nil
		}),
	}
	block.Flags().StringVar(&reason, "reason", "", "why, for the record (shown to the blocked peer)")
	block.Flags().BoolVar(&actor, "actor", false, "block the one actor whose id is ACTOR-URL, not a domain")
	return block
}

func (a federationCmds) federationUnblockCmd() *cobra.Command {
	var actor bool
	unblock := &cobra.Command{
		Use:   "unblock DOMAIN | unblock --actor ACTOR-URL",
		Short: "Lift a block: the content shows again; the follows removed do not come back",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			p := n.Service.Policy()
			var err error
			if actor {
				err = p.UnblockActor(cmd.Context(), commandLine, args[0])
			} else {
				err = p.Unblock(cmd.Context(), commandLine, args[0])
			}
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(a.out, "Unblocked %s.\n", target(args[0], actor))
			return nil
		}),
	}
	unblock.Flags().BoolVar(&actor, "actor", false, "unblock the actor whose id is ACTOR-URL, not a domain")
	return unblock
}

func (a federationCmds) federationAllowCmd() *cobra.Command {
	var reason string
	allow := &cobra.Command{
		Use:   "allow DOMAIN",
		Short: "Put a domain on the allowlist, the only domains a node in the allowlist mode federates with",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			if err := n.Service.Policy().Allow(cmd.Context(), commandLine, args[0], reason); err != nil {
				return describe(err)
			}
			d, _ := policy.Domain(args[0])
			fmt.Fprintf(a.out, "Allowed %s.\n", d)
			if !n.Service.Policy().Allowlist() {
				fmt.Fprintln(a.out, "The node is not in the allowlist mode (federation_mode: allowlist): the list has no effect until it is.")
			}
			return nil
		}),
	}
	allow.Flags().StringVar(&reason, "reason", "", "why, for the record")
	return allow
}

func (a federationCmds) federationDisallowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "disallow DOMAIN",
		Short: "Take a domain off the allowlist",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			if err := n.Service.Policy().Disallow(cmd.Context(), commandLine, args[0]); err != nil {
				return describe(err)
			}
			d, _ := policy.Domain(args[0])
			fmt.Fprintf(a.out, "Took %s off the allowlist.\n", d)
			return nil
		}),
	}
}

func (a federationCmds) federationListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the mode, the blocked domains and actors, and the allowlist",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			v, err := n.Service.Policy().List(cmd.Context())
			if err != nil {
				return err
			}
			mode := "open (every domain but the blocked ones)"
			if v.Allowlist {
				mode = "allowlist (the allowed domains only)"
			}
			fmt.Fprintf(a.out, "Mode: %s\n", mode)
			w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "RULE\tDOMAIN OR ACTOR\tBY\tSINCE\tREASON")
			for _, l := range []struct {
				rule    string
				entries []policy.Entry
			}{{"blocked", v.Blocked}, {"blocked actor", v.BlockedActors}, {"allowed", v.Allowed}} {
				for _, e := range l.entries {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", l.rule, e.Value, e.Who, e.CreatedAt.Format(time.RFC3339), e.Reason)
				}
			}
			return w.Flush()
		}),
	}
}

// target names what a command acted on: the actor's id, or the domain
// as it is kept.
func target(arg string, actor bool) string {
	if actor {
		return strings.TrimSpace(arg)
	}
	d, _ := policy.Domain(arg)
	return d
}
