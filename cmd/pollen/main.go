// Command pollen runs a Pollen node and administers it.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/node"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot(os.Stdout, os.Stderr).ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pollen:", err)
		os.Exit(1)
	}
}

// app carries what every command needs: where to write and how to load the
// configuration.
type app struct {
	out, errOut io.Writer
	configPath  string
}

func newRoot(out, errOut io.Writer) *cobra.Command {
	a := &app{out: out, errOut: errOut}
	root := &cobra.Command{
		Use:           "pollen",
		Short:         "A federated ActivityPub node for councils and public service mutuals",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       federation.Version,
	}
	root.SetOut(out)
	root.SetErr(errOut)
	root.PersistentFlags().StringVar(&a.configPath, "config", "", "YAML configuration file (POLLEN_* environment variables override it)")
	root.AddCommand(a.serveCmd(), a.migrateCmd(), a.tokenCmd(), a.usersCmd(), a.publishCmd(), a.importCmd(), a.queueCmd(), a.keysCmd())
	root.AddCommand(a.followCmds()...)
	root.AddCommand(a.federationCmd())
	return root
}

// config loads the configuration from the --config file and the
// environment.
func (a *app) config() (config.Config, error) {
	path := a.configPath
	if path == "" {
		path = os.Getenv("POLLEN_CONFIG")
	}
	return config.Load(path, os.LookupEnv)
}

// logger makes the structured logger the configuration asks for.
func (a *app) logger(cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(a.errOut, opts))
	}
	return slog.New(slog.NewTextHandler(a.errOut, opts))
}

// openStore loads the configuration and opens the migrated database.
func (a *app) openStore(ctx context.Context) (*node.Node, error) {
	return a.openStoreWith(ctx, func(*config.Config) {})
}

// openStoreWith is openStore with the configuration changed by adjust.
func (a *app) openStoreWith(ctx context.Context, adjust func(*config.Config)) (*node.Node, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	adjust(&cfg)
	n, err := node.OpenStore(ctx, cfg, a.logger(cfg))
	if err != nil {
		return nil, err
	}
	if _, err := n.Service.EnsureLocalActor(ctx); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

// withNode wraps a command's work: it opens the node's migrated store
// before fn and closes it after.
func (a *app) withNode(fn func(cmd *cobra.Command, args []string, n *node.Node) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		n, err := a.openStore(cmd.Context())
		if err != nil {
			return err
		}
		defer n.Close()
		return fn(cmd, args, n)
	}
}
