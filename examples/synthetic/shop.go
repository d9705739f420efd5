package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
)

// shop is the service under test: log in (a session cookie and a token),
// search, check out. checkoutBroken is the fault: a bad deploy of the
// payment path that breaks checkout and nothing else.
type shop struct {
	checkoutBroken atomic.Bool
}

func (s *shop) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<10))
		if !strings.Contains(string(body), `"password":"s3cret"`) {
			http.Error(w, "bad credentials", http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "sess-1", Path: "/"})
		writeJSON(w, map[string]any{"token": "tok-1"})
	})
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("session"); err != nil {
			http.Error(w, "log in first", http.StatusForbidden)
			return
		}
		writeJSON(w, map[string]any{"items": []any{map[string]any{"id": 42, "name": r.URL.Query().Get("q")}}})
	})
	mux.HandleFunc("POST /checkout", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if s.checkoutBroken.Load() {
			http.Error(w, "payment backend: nil pointer", http.StatusInternalServerError)
			return
		}
		writeJSON(w, map[string]any{"order": "o-1", "status": "placed"})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
