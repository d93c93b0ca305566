package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/node"
)

func (a *app) queueCmd() *cobra.Command {
	var (
		state string
		limit int
	)
	cmd := &cobra.Command{
		Use:   "queue",
		Short: "Show the delivery queue: counts by state and the latest pending, retrying and dead jobs",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			v, err := n.Service.Queue(cmd.Context(), state, limit)
			if err != nil {
				return err
			}
			c := v.Counts
			fmt.Fprintf(a.out, "pending %d  retrying %d  done %d  dead %d\n", c.Pending, c.Retrying, c.Done, c.Dead)
			if len(v.Jobs) == 0 {
				return nil
			}
			fmt.Fprintln(a.out)
			w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tSTATE\tATTEMPTS\tNEXT\tINBOX\tACTIVITY\tLAST ERROR")
			for _, j := range v.Jobs {
				next := "-"
				if j.NextAttemptAt != nil {
					next = j.NextAttemptAt.Local().Format(time.DateTime)
				}
				fmt.Fprintf(w, "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", j.ID, j.State, j.Attempts, next, j.Inbox, j.ActivityID, j.LastError)
			}
			return w.Flush()
		}),
	}
	cmd.Flags().StringVar(&state, "state", "", "show only jobs in this state: pending, retrying, done or dead")
	cmd.Flags().IntVar(&limit, "limit", 20, "how many jobs to show (1 to 100)")
	return cmd
}
