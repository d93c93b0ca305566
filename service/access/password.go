package access

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Password lengths, in characters.
const (
	MinPasswordLength = 12
	maxPasswordLength = 256
)

// hashParams are the Argon2id parameters of new hashes: OWASP's
// recommendation of 46 MiB, one pass, one lane. A hash records its own
// parameters, so changing them here leaves older hashes valid.
var hashParams = argon2id.Params{Memory: 46 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// commonPasswordList is John the Ripper's password.lst (Openwall,
// 1996–2011, 3,546 entries; shipped by Debian's john-data package): the
// passwords most often seen, one a line, after "#!comment:" lines.
//
//go:embed common-passwords.txt
var commonPasswordList string

// commonPasswords is commonPasswordList as a set, in lower case.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#!comment:") || line == "" {
			continue
		}
		set[strings.ToLower(line)] = true
	}
	return set
})

// IsCommonPassword reports whether password is, in any case, one of the
// list of common passwords embedded in the binary.
func IsCommonPassword(password string) bool {
	return commonPasswords()[strings.ToLower(password)]
}

// checkPassword says what is wrong with password as a new password, or ""
// when it will do.
func checkPassword(password string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return "Password must be 12 characters or more"
	case n > maxPasswordLength:
		return "Password must be 256 characters or fewer"
	case IsCommonPassword(password):
		return "Password is too common: choose one that is harder to guess"
	}
	return ""
}

// hashPassword makes the Argon2id hash of password, in its PHC string form.
func hashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, &hashParams)
}

// matchPassword reports whether password matches hash. A hash that does
// not parse matches nothing.
func matchPassword(password, hash string) bool {
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
