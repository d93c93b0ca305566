package access_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

const goodPassword = "correct horse battery staple"

// wantKind fails the test unless err is an *apperr.Error of kind.
func wantKind(t *testing.T, what string, err error, kind apperr.Kind) *apperr.Error {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Kind != kind {
		t.Fatalf("%s: %v, want a %v error", what, err, kind)
	}
	return e
}

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	a := access.NewAccounts(testrig.Store(t, testrig.SQLite(t)), nil)
	u, err := a.CreateUser(ctx, "Asha@Example.org", access.RoleAdmin, goodPassword)
	if err != nil || u.Email != "asha@example.org" || u.Role != access.RoleAdmin || u.Disabled {
		t.Fatalf("CreateUser = %+v, %v", u, err)
	}
	for _, c := range []struct {
		email, role, password, field string
	}{
		{"not an email", "admin", goodPassword, "email"},
		{"b@example.org", "owner", goodPassword, "role"},
		{"b@example.org", "editor", "short pass", "password"},
		{"b@example.org", "editor", strings.Repeat("x", 257), "password"},
		{"b@example.org", "editor", "WINNIEthePooh", "password"},
	} {
		_, err := a.CreateUser(ctx, c.email, access.Role(c.role), c.password)
		e := wantKind(t, c.email+"/"+c.role, err, apperr.Unprocessable)
		if e.Fields[c.field] == "" {
			t.Errorf("%+v: fields %v, want %s named", c, e.Fields, c.field)
		}
	}
	_, err = a.CreateUser(ctx, "ASHA@example.org", access.RoleEditor, goodPassword)
	wantKind(t, "a taken email in another case", err, apperr.Conflict)
	list, err := a.ListUsers(ctx)
	if err != nil || len(list) != 1 {
		t.Errorf("ListUsers = %+v, %v", list, err)
	}
}

func TestCommonPasswords(t *testing.T) {
	for _, p := range []string{"password", "PASSWORD", "123456", "Letmein", "winniethepooh"} {
		if !access.IsCommonPassword(p) {
			t.Errorf("%q is not found common", p)
		}
	}
	if access.IsCommonPassword(goodPassword) {
		t.Errorf("%q is found common", goodPassword)
	}
	a := access.NewAccounts(testrig.Store(t, testrig.SQLite(t)), nil)
	// The list's one entry of 12 characters or more.
	_, err := a.CreateUser(context.Background(), "c@example.org", access.RoleEditor, "WinnieThePooh")
	e := wantKind(t, "a common password", err, apperr.Unprocessable)
	if !strings.Contains(e.Fields["password"], "common") {
		t.Errorf("fields %v, want the password named too common", e.Fields)
	}
}

func TestSignInAndSessions(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		a := access.NewAccounts(testrig.Store(t, db), nil)
		if _, err := a.CreateUser(ctx, "tom@example.org", access.RoleEditor, goodPassword); err != nil {
			t.Fatal(err)
		}
		token, u, err := a.SignIn(ctx, "TOM@example.org", goodPassword, "192.0.2.1")
		if err != nil || u.Email != "tom@example.org" || token == "" {
			t.Fatalf("SignIn = %q, %+v, %v", token, u, err)
		}
		if got, err := a.Session(ctx, token); err != nil || got.ID != u.ID {
			t.Fatalf("Session = %+v, %v", got, err)
		}
		_, err = a.Session(ctx, token+"x")
		wantKind(t, "an unknown session", err, apperr.Unauthorized)

		wrong := wantKind(t, "a wrong password", signInErr(a, "tom@example.org", "wrong password!", "192.0.2.1"), apperr.Unauthorized)
		unknown := wantKind(t, "an unknown email", signInErr(a, "nobody@example.org", goodPassword, "192.0.2.1"), apperr.Unauthorized)
		if wrong.Message != unknown.Message || wrong.Message != access.ErrSignIn {
			t.Errorf("wrong password %q, unknown email %q: want the same message", wrong.Message, unknown.Message)
		}

		if err := a.SetPassword(ctx, "tom@example.org", "another good passphrase"); err != nil {
			t.Fatal(err)
		}
		wantKind(t, "the old password", signInErr(a, "tom@example.org", goodPassword, "192.0.2.1"), apperr.Unauthorized)
		second, _, err := a.SignIn(ctx, "tom@example.org", "another good passphrase", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		wantKind(t, "SetPassword(unknown)", a.SetPassword(ctx, "nobody@example.org", goodPassword), apperr.NotFound)

		if err := a.SignOut(ctx, second); err != nil {
			t.Fatal(err)
		}
		_, err = a.Session(ctx, second)
		wantKind(t, "a signed-out session", err, apperr.Unauthorized)

		// Disabling revokes the sessions at once and refuses sign-in with
		// the same message.
		if err := a.DisableUser(ctx, "tom@example.org"); err != nil {
			t.Fatal(err)
		}
		_, err = a.Session(ctx, token)
		wantKind(t, "a disabled user's session", err, apperr.Unauthorized)
		e := wantKind(t, "a disabled user", signInErr(a, "tom@example.org", "another good passphrase", "192.0.2.2"), apperr.Unauthorized)
		if e.Message != access.ErrSignIn {
			t.Errorf("disabled user: %q", e.Message)
		}
		wantKind(t, "DisableUser(unknown)", a.DisableUser(ctx, "nobody@example.org"), apperr.NotFound)
		if list, _ := a.ListUsers(ctx); !list[0].Disabled {
			t.Errorf("ListUsers = %+v, want disabled", list)
		}
	})
}

func signInErr(a *access.Accounts, email, password, addr string) error {
	_, _, err := a.SignIn(context.Background(), email, password, addr)
	return err
}

func TestSignInThrottled(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		store := testrig.Store(t, db)
		a := access.NewAccounts(store, nil)
		if _, err := a.CreateUser(ctx, "tom@example.org", access.RoleEditor, goodPassword); err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"tom@example.org", "nobody@example.org"} {
			for i := 0; i < access.AccountFailures; i++ {
				wantKind(t, "a wrong password", signInErr(a, email, "wrong password!", "192.0.2.1"), apperr.Unauthorized)
			}
			// Even the right password waits now, and an unknown email
			// is answered as a known one.
			e := wantKind(t, "throttled "+email, signInErr(a, email, goodPassword, "192.0.2.9"), apperr.TooMany)
			if e.RetryAfter <= 0 || e.RetryAfter > access.ThrottleWindow {
				t.Errorf("RetryAfter = %v", e.RetryAfter)
			}
		}
		// Another process on the database, or a restart, sees the same.
		other := access.NewAccounts(store, nil)
		wantKind(t, "throttled in another process", signInErr(other, "tom@example.org", goodPassword, "192.0.2.3"), apperr.TooMany)

		// Per address: many emails from one address.
		for i := 0; i < access.AddressFailures-2*access.AccountFailures; i++ {
			_ = signInErr(a, "someone"+strings.Repeat("x", i)+"@example.org", "wrong password!", "192.0.2.1")
		}
		wantKind(t, "throttled address", signInErr(a, "fresh@example.org", goodPassword, "192.0.2.1"), apperr.TooMany)
		wantKind(t, "throttled account from another address", signInErr(a, "tom@example.org", goodPassword, "192.0.2.4"), apperr.TooMany)
		// Once the window is over, the right password signs in.
		later := access.NewAccounts(store, func() time.Time { return time.Now().Add(access.ThrottleWindow + time.Minute) })
		if err := signInErr(later, "tom@example.org", goodPassword, "192.0.2.3"); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}
