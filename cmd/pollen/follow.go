package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/node"
	"github.com/pollen-coop/pollen/service"

	"github.com/pollen-coop/pollen/federation"
)

// followCmds returns follow, unfollow, following and followers (with its
// approve and reject).
func (a *app) followCmds() []*cobra.Command {
	return []*cobra.Command{a.followCmd(), a.unfollowCmd(), a.followingCmd(), a.followersCmd()}
}

func (a *app) followCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "follow TARGET",
		Short: "Follow a peer (@handle@host or an actor URL); the running node sends the Follow",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			f, err := n.AuditedFollows.Follow(service.Acting(cmd.Context(), service.CommandLine), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "following %s (%s): %s\n", f.Actor.Handle, f.Actor.ID, f.State)
			return nil
		}),
	}
}

func (a *app) unfollowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "unfollow TARGET",
		Short: "Stop following a peer (@handle@host, an actor URL or a follow ID)",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			ctx := service.Acting(cmd.Context(), service.CommandLine)
			unfollow := func() error { return n.AuditedFollows.Unfollow(ctx, args[0]) }
			if id, err := strconv.ParseInt(args[0], 10, 64); err == nil {
				unfollow = func() error { return n.AuditedFollows.UnfollowByID(ctx, id) }
			}
			if err := unfollow(); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "unfollowed %s\n", args[0])
			return nil
		}),
	}
}

func (a *app) followingCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "following",
		Short: "List the peers this node follows",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			list, err := n.Follows.Following(cmd.Context(), 1000, 0)
			if err != nil {
				return err
			}
			return printFollows(a.out, list)
		}),
	}
}

func (a *app) followersCmd() *cobra.Command {
	var state string
	followers := &cobra.Command{
		Use:   "followers",
		Short: "List this node's followers",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			list, err := n.Follows.Followers(cmd.Context(), state, 1000, 0)
			if err != nil {
				return err
			}
			return printFollows(a.out, list)
		}),
	}
	followers.Flags().StringVar(&state, "state", "", "only pending or accepted followers")
	followers.AddCommand(a.answerFollowCmd("approve"), a.answerFollowCmd("reject"))
	return followers
}

// answerFollowCmd returns "followers approve" or "followers reject", by
// verb.
func (a *app) answerFollowCmd(verb string) *cobra.Command {
	return &cobra.Command{
		Use:   verb + " ID",
		Short: "Answer a follow request: " + verb,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("%q is not a follow ID", args[0])
			}
			n, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer n.Close()
			answer := n.AuditedFollows.ApproveFollower
			if verb == "reject" {
				answer = n.AuditedFollows.RejectFollower
			}
			f, err := answer(service.Acting(cmd.Context(), service.CommandLine), id)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%s: %s\n", f.Actor.Handle, f.State)
			return nil
		},
	}
}

func printFollows(out io.Writer, list federation.FollowList) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tHANDLE\tNAME\tSTATE\tSINCE")
	for _, f := range list.Items {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", f.ID, f.Actor.Handle, f.Actor.Name, f.State, f.CreatedAt.Format("2006-01-02"))
	}
	fmt.Fprintf(w, "%d in all\n", list.Total)
	return w.Flush()
}
