package main

import (
	"fmt"
	"net/http"
	"strconv"
)

// routes are the service's handlers; nothing in them knows about nines.
func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "hello") })
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "{\"id\":%q}\n", r.PathValue("id"))
	})
	mux.HandleFunc("GET /status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, err := strconv.Atoi(r.PathValue("code"))
		if err != nil || code < 200 || code > 599 {
			http.Error(w, "code must be 200 to 599", http.StatusBadRequest)
			return
		}
		w.WriteHeader(code)
	})
	return mux
}
