package main

import (
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/node"
)

func (a *app) serveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the node",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			cfg, err := a.config()
			if err != nil {
				return err
			}
			log := a.logger(cfg)
			ctx := cmd.Context()
			n, err := node.Open(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer n.Close()
			if cfg.PprofListen != "" {
				if err := servePprof(ctx, cfg.PprofListen, log); err != nil {
					return fmt.Errorf("pprof_listen %s: %w", cfg.PprofListen, err)
				}
			}
			l, err := net.Listen("tcp", cfg.Listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
			}
			log.Info("pollen is ready", "listen", l.Addr().String(), "base_url", cfg.BaseURL.String(),
				"actor", "@"+cfg.Handle+"@"+cfg.Host(), "database", n.Store.Dialect(),
				"startup_ms", time.Since(start).Milliseconds())
			return n.Serve(ctx, l)
		},
	}
}

func (a *app) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations and exit",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			fmt.Fprintln(a.out, "database is up to date")
			return nil
		}),
	}
}
