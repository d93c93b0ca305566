package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pollen-coop/pollen/node"
	"github.com/pollen-coop/pollen/service/access"
)

func (a *app) usersCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "Create, list and disable the staff's user accounts, and set their passwords"}
	cmd.AddCommand(a.usersCreateCmd(), a.usersListCmd(), a.usersPasswdCmd(), a.usersDisableCmd())
	return cmd
}

func (a *app) usersCreateCmd() *cobra.Command {
	var email, role string
	var fromStdin bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a user who signs in as the organisation",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			password, err := a.readPassword(cmd, fromStdin)
			if err != nil {
				return err
			}
			u, err := n.Accounts.CreateUser(cmd.Context(), email, access.Role(role), password)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(a.out, "Created %s user %s.\n", u.Role, u.Email)
			return nil
		}),
	}
	create.Flags().StringVar(&email, "email", "", "the user's email address, to sign in with (required)")
	create.Flags().StringVar(&role, "role", "", "admin or editor (required)")
	create.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from one line of standard input")
	_ = create.MarkFlagRequired("email")
	_ = create.MarkFlagRequired("role")
	return create
}

func (a *app) usersListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the users",
		Args:  cobra.NoArgs,
		RunE: a.withNode(func(cmd *cobra.Command, _ []string, n *node.Node) error {
			us, err := n.Accounts.ListUsers(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "EMAIL\tROLE\tCREATED\tSTATE")
			for _, u := range us {
				state := "active"
				if u.Disabled {
					state = "disabled"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Email, u.Role, u.CreatedAt.Format(time.RFC3339), state)
			}
			return w.Flush()
		}),
	}
}

func (a *app) usersPasswdCmd() *cobra.Command {
	var passwdStdin bool
	passwd := &cobra.Command{
		Use:   "passwd EMAIL",
		Short: "Set a user's password",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			password, err := a.readPassword(cmd, passwdStdin)
			if err != nil {
				return err
			}
			if err := n.Accounts.SetPassword(cmd.Context(), args[0], password); err != nil {
				return describe(err)
			}
			fmt.Fprintf(a.out, "Set the password of %s.\n", strings.ToLower(args[0]))
			return nil
		}),
	}
	passwd.Flags().BoolVar(&passwdStdin, "password-stdin", false, "read the password from one line of standard input")
	return passwd
}

func (a *app) usersDisableCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "disable EMAIL",
		Short: "Disable a user: it is signed out everywhere at once and cannot sign in",
		Args:  cobra.ExactArgs(1),
		RunE: a.withNode(func(cmd *cobra.Command, args []string, n *node.Node) error {
			if err := n.Accounts.DisableUser(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "Disabled %s and ended its sessions.\n", strings.ToLower(args[0]))
			return nil
		}),
	}
}

// readPassword reads a new password: with --password-stdin, one line of
// standard input without its line ending; otherwise, typed twice on the
// terminal without echo.
func (a *app) readPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password: %w", err)
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			return "", errors.New("standard input held no password")
		}
		return line, nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errors.New("standard input is not a terminal: give the password with --password-stdin")
	}
	var typed [2]string
	for i, prompt := range []string{"Password (12 characters or more): ", "The same password again: "} {
		fmt.Fprint(a.errOut, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(a.errOut)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		typed[i] = string(b)
	}
	if typed[0] != typed[1] {
		return "", errors.New("the two passwords differ")
	}
	return typed[0], nil
}
