package main

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/bulkimport"
)

func (a *app) importCmd() *cobra.Command {
	var opts bulkimport.Options
	cmd := &cobra.Command{
		Use:   "import [--dry-run] [--draft] PATH",
		Short: "Publish or update case studies from a folder of Markdown files or a CSV file (again: update them)",
		Long: "Publish or update case studies from PATH: a folder of Markdown files with YAML front matter\n" +
			"(as `pollen publish` reads), or a CSV file whose header row names the columns:\n  " +
			strings.Join(bulkimport.Columns, ", ") + "\n" +
			"A list cell (outcomes, lessons, tags) holds one item per line, or items separated by \";\".\n" +
			"The same file or row (its slug: the front matter's, the file's name, the slug column or the title)\n" +
			"updates the same case study. Each row is stored on its own; the rows that fail are listed with\n" +
			"their reasons, and the command then exits with status 1.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Read everything first: a file refused imports nothing.
			rows, err := bulkimport.Read(args[0])
			if err != nil {
				return err
			}
			n, err := a.openStoreWith(cmd.Context(), quietLogs)
			if err != nil {
				return err
			}
			defer n.Close()
			doing := "importing"
			if opts.DryRun {
				doing = "checking"
			}
			bar := progressbar.NewOptions(len(rows), progressbar.OptionSetWriter(a.errOut),
				progressbar.OptionSetDescription(doing), progressbar.OptionShowCount(),
				progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(a.errOut) }))
			opts.Done = func() { _ = bar.Add(1) }
			ctx := service.Acting(cmd.Context(), service.CommandLine)
			report := bulkimport.Import(ctx, n.CaseStudies, rows, opts)
			_ = bar.Exit()
			if report.Published+report.Updated > 0 && report.NotReached == 0 {
				// A bulk load: the search index compacted, as it should be.
				if err := n.Store.CaseStudies.OptimizeSearch(cmd.Context()); err != nil {
					return err
				}
			}
			for _, f := range report.Failed {
				fmt.Fprintf(a.out, "%s: %v\n", f.Source, describe(f.Err))
			}
			fmt.Fprintln(a.out, report)
			switch {
			case report.NotReached > 0:
				return fmt.Errorf("interrupted: %d rows not imported", report.NotReached)
			case len(report.Failed) > 0:
				return fmt.Errorf("%d of %d rows failed", len(report.Failed), len(rows))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "read and check every row as the API would, storing nothing")
	cmd.Flags().BoolVar(&opts.Draft, "draft", false, "save every case study as a draft: neither public nor sent to followers until published")
	return cmd
}

// quietLogs keeps the log to warnings and errors, unless the
// configuration asks for less: a log line per row would break the
// progress bar.
func quietLogs(cfg *config.Config) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil || level < slog.LevelWarn {
		cfg.LogLevel = "warn"
	}
}
