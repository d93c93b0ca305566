package oauth_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestBadInput: each refusal is the RFC 6749 error JSON with its code and
// no token, and changes nothing: no token is issued, and the code still
// works afterwards.
func TestBadInput(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := startNode(t, db)
		b := newBrowser(t, n.URL)
		id, secret := registerApp(t, b, access.OOB, "read write")
		authz := authorizeURL(id, access.OOB, "read", "")
		b.signIn(authz)

		for _, c := range []struct {
			name, query string
			status      int
			code        string
		}{
			{"unregistered redirect URI", strings.Replace(authz, url.QueryEscape(access.OOB), url.QueryEscape("https://evil.example/cb"), 1), 400, "invalid_request"},
			{"unknown scope", strings.Replace(authz, "scope=read", "scope=read+admin%3Aall", 1), 400, "invalid_scope"},
			{"scope beyond the app's", strings.Replace(authz, "scope=read", "scope=push", 1), 400, "invalid_scope"},
			{"plain PKCE", strings.Replace(authz, "code_challenge_method=S256", "code_challenge_method=plain", 1), 400, "invalid_request"},
			{"unknown client", strings.Replace(authz, "client_id="+id, "client_id=nope", 1), 401, "invalid_client"},
			{"token response type", strings.Replace(authz, "response_type=code", "response_type=token", 1), 400, "unsupported_response_type"},
		} {
			p := b.get(c.query)
			if m := p.json(t); p.status != c.status || m["error"] != c.code || m["error_description"] == "" || p.header.Get("Location") != "" {
				t.Errorf("GET authorize, %s: %d %s, want %d %s", c.name, p.status, p.body, c.status, c.code)
			}
		}

		form := consentForm(t, b.get(authz))
		form.Set("decision", "authorise")
		code := codeElem.FindStringSubmatch(b.do(http.MethodPost, "/oauth/authorize", form).body)[1]
		good := url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret},
			"code": {code}, "redirect_uri": {access.OOB}, "code_verifier": {verifier}}
		with := func(k, v string) url.Values {
			out := url.Values{}
			for key, vs := range good {
				out[key] = vs
			}
			out.Set(k, v)
			return out
		}
		app := newBrowser(t, n.URL)
		for _, c := range []struct {
			name   string
			body   url.Values
			status int
			code   string
		}{
			{"wrong client secret", with("client_secret", "wrong"), 401, "invalid_client"},
			{"unknown client", with("client_id", "nope"), 401, "invalid_client"},
			{"wrong PKCE verifier", with("code_verifier", verifier+"-not"), 400, "invalid_grant"},
			{"no PKCE verifier", with("code_verifier", ""), 400, "invalid_grant"},
			{"redirect URI not the code's", with("redirect_uri", "https://evil.example/cb"), 400, "invalid_grant"},
			{"unknown code", with("code", "not-a-code"), 400, "invalid_grant"},
			{"unknown grant type", with("grant_type", "password"), 400, "unsupported_grant_type"},
			{"no grant type", with("grant_type", ""), 400, "invalid_request"},
			{"unknown scope", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"read nope"}}, 400, "invalid_scope"},
		} {
			p := app.do(http.MethodPost, "/oauth/token", c.body)
			m := p.json(t)
			if p.status != c.status || m["error"] != c.code || m["access_token"] != nil {
				t.Errorf("token, %s: %d %s, want %d %s", c.name, p.status, p.body, c.status, c.code)
			}
		}
		if list, err := n.OAuth.ListOAuthTokens(context.Background()); err != nil || len(list) != 0 {
			t.Fatalf("tokens after the refusals: %+v, %v; want none", list, err)
		}

		// The code still works once, and only once.
		if p := app.do(http.MethodPost, "/oauth/token", good); p.status != http.StatusOK {
			t.Fatalf("the code after the refusals: %d %s", p.status, p.body)
		}
		p := app.do(http.MethodPost, "/oauth/token", good)
		if m := p.json(t); p.status != http.StatusBadRequest || m["error"] != "invalid_grant" || m["access_token"] != nil {
			t.Errorf("a reused code: %d %s", p.status, p.body)
		}
		if p := app.do(http.MethodPost, "/oauth/revoke", url.Values{"client_id": {id}, "client_secret": {"wrong"}, "token": {"x"}}); p.status != http.StatusUnauthorized || p.json(t)["error"] != "invalid_client" {
			t.Errorf("revoke with a wrong secret: %d %s", p.status, p.body)
		}
		if list, _ := n.OAuth.ListOAuthTokens(context.Background()); len(list) != 1 || list[0].RevokedAt != nil {
			t.Errorf("tokens at the end: %+v; want the one, active", list)
		}
	})
}

// TestCreateApp: JSON, form and multipart bodies register an app, as
// Mastodon answers them; bad fields are a 422.
func TestCreateApp(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	b := newBrowser(t, n.URL)
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("client_name", "Ivory")
	_ = w.WriteField("redirect_uris", "oauth2redirect://ivory/")
	_ = w.WriteField("scopes", "read write:statuses")
	_ = w.Close()
	for name, p := range map[string]page{
		"json":      b.do(http.MethodPost, "/api/v1/apps", `{"client_name":"Ivory","redirect_uris":["oauth2redirect://ivory/"],"scopes":"read write:statuses","website":"https://ivory.example"}`),
		"form":      b.do(http.MethodPost, "/api/v1/apps", url.Values{"client_name": {"Ivory"}, "redirect_uris": {"oauth2redirect://ivory/"}, "scopes": {"read write:statuses"}}),
		"multipart": b.do(http.MethodPost, "/api/v1/apps", strings.NewReader(mp.String()), "Content-Type", w.FormDataContentType()),
	} {
		m := p.json(t)
		if p.status != http.StatusOK || m["name"] != "Ivory" || m["client_id"] == "" || m["client_secret"] == "" || m["redirect_uri"] != "oauth2redirect://ivory/" {
			t.Errorf("%s: %d %s", name, p.status, p.body)
			continue
		}
		if id, ok := m["id"].(string); !ok || id == "" {
			t.Errorf("%s: id %v, want a string", name, m["id"])
		}
		if uris, _ := m["redirect_uris"].([]any); len(uris) != 1 || uris[0] != "oauth2redirect://ivory/" {
			t.Errorf("%s: redirect_uris %v", name, m["redirect_uris"])
		}
		if scopes, _ := m["scopes"].([]any); len(scopes) != 2 || scopes[1] != "write:statuses" {
			t.Errorf("%s: scopes %v", name, m["scopes"])
		}
		if _, ok := m["website"]; !ok {
			t.Errorf("%s: no website field", name)
		}
	}
	for name, body := range map[string]any{
		"no name":          url.Values{"redirect_uris": {access.OOB}},
		"http redirect":    url.Values{"client_name": {"x"}, "redirect_uris": {"http://app.example/cb"}},
		"unknown scope":    url.Values{"client_name": {"x"}, "redirect_uris": {access.OOB}, "scopes": {"read everything"}},
		"no redirect URIs": `{"client_name":"x"}`,
	} {
		if p := b.do(http.MethodPost, "/api/v1/apps", body); p.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", name, p.status, p.body)
		}
	}
	if p := b.do(http.MethodPost, "/api/v1/apps", `{"client_name":`); p.status != http.StatusBadRequest {
		t.Errorf("broken JSON: %d, want 400", p.status)
	}
}

// TestMetadata: RFC 8414, with absolute endpoints and S256 only.
func TestMetadata(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	p := newBrowser(t, n.URL).get("/.well-known/oauth-authorization-server")
	m := p.json(t)
	if p.status != http.StatusOK || m["authorization_endpoint"] != n.URL+"/oauth/authorize" || m["token_endpoint"] != n.URL+"/oauth/token" || m["revocation_endpoint"] != n.URL+"/oauth/revoke" {
		t.Fatalf("metadata: %d %s", p.status, p.body)
	}
	has := func(field, want string) {
		list, _ := m[field].([]any)
		for _, v := range list {
			if v == want {
				return
			}
		}
		t.Errorf("%s = %v, want %s in it", field, m[field], want)
	}
	has("grant_types_supported", "authorization_code")
	has("response_types_supported", "code")
	has("code_challenge_methods_supported", "S256")
	has("scopes_supported", "read:statuses")
	has("scopes_supported", "push")
	if methods, _ := m["code_challenge_methods_supported"].([]any); len(methods) != 1 {
		t.Errorf("code_challenge_methods_supported = %v, want S256 only", methods)
	}
}

// TestRevokeWithoutToken: invalid_request.
func TestRevokeWithoutToken(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	b := newBrowser(t, n.URL)
	id, secret := registerApp(t, b, access.OOB, "read")
	p := b.do(http.MethodPost, "/oauth/revoke", url.Values{"client_id": {id}, "client_secret": {secret}})
	if p.status != http.StatusBadRequest || p.json(t)["error"] != "invalid_request" {
		t.Errorf("revoke without a token: %d %s", p.status, p.body)
	}
	p = b.do(http.MethodPost, "/oauth/token", `{"grant_type":`)
	if p.status != http.StatusBadRequest || p.json(t)["error"] != "invalid_request" {
		t.Errorf("token with broken JSON: %d %s", p.status, p.body)
	}
}
