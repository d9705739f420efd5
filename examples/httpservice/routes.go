package main

import (
	"fmt"
	"net/http"
	"strconv"
)

// patterns are the service's routes, declared to the Monitor
// (availability.WithRoutes) so that their SLOs, and the Prometheus rules of
// -rules, exist before the first request.
var patterns = []string{"GET /hello", "GET /items/{id}", "GET /status/{code}"}

// routes are the service's handlers, one per pattern; nothing in them
// knows about nines.
func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc(patterns[0], func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "hello") })
	mux.HandleFunc(patterns[1], func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "{\"id\":%q}\n", r.PathValue("id"))
	})
	mux.HandleFunc(patterns[2], func(w http.ResponseWriter, r *http.Request) {
		code, err := strconv.Atoi(r.PathValue("code"))
		if err != nil || code < 200 || code > 599 {
			http.Error(w, "code must be 200 to 599", http.StatusBadRequest)
			return
		}
		w.WriteHeader(code)
	})
	return mux
}
