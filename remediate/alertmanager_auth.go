package remediate

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// receiverAuth checks a request's credentials against the one configured
// secret. Both sides are hashed before the constant-time compare, so the
// time taken says nothing about the secret's length either.
type receiverAuth struct {
	scheme string // "Bearer" or "Basic", for WWW-Authenticate
	want   [sha256.Size]byte
	user   [sha256.Size]byte // Basic only
}

func bearerAuth(token string) *receiverAuth {
	return &receiverAuth{scheme: "Bearer", want: sha256.Sum256([]byte(token))}
}

func basicAuth(user, password string) *receiverAuth {
	return &receiverAuth{scheme: "Basic", want: sha256.Sum256([]byte(password)), user: sha256.Sum256([]byte(user))}
}

// allow reports whether r carries the configured credentials. Alertmanager
// sends them with http_config's authorization (credentials: the token) or
// basic_auth.
func (a *receiverAuth) allow(r *http.Request) bool {
	if a.scheme == "Basic" {
		user, password, ok := r.BasicAuth()
		u := sha256.Sum256([]byte(user))
		p := sha256.Sum256([]byte(password))
		// Both compares always run: which one failed takes no less time.
		return subtle.ConstantTimeCompare(u[:], a.user[:])&subtle.ConstantTimeCompare(p[:], a.want[:]) == 1 && ok
	}
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return subtle.ConstantTimeCompare(got[:], a.want[:]) == 1
}

func (a *receiverAuth) challenge() string { return a.scheme + ` realm="nines"` }
