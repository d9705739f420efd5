package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// inventory is the shop's dependency: a real HTTP server on loopback that
// answers stock queries, until a fault is injected. While the fault is on
// it answers 503 to every request, as an overloaded or half-deployed
// backend would.
type inventory struct {
	faulty atomic.Bool
	srv    *http.Server
	url    string
}

func newInventory() (*inventory, net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	inv := &inventory{url: "http://" + ln.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stock/{id}", inv.stock)
	mux.HandleFunc("GET /healthz", inv.healthz)
	inv.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	return inv, ln, nil
}

func (inv *inventory) stock(w http.ResponseWriter, r *http.Request) {
	if inv.faulty.Load() {
		http.Error(w, "inventory: connection pool exhausted", http.StatusServiceUnavailable)
		return
	}
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"id": id, "stock": id * 7 % 23})
}

func (inv *inventory) healthz(w http.ResponseWriter, _ *http.Request) {
	if inv.faulty.Load() {
		http.Error(w, "connection pool exhausted", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
