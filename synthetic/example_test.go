package synthetic_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/nines-sre/nines/synthetic"
)

func Example() {
	// A target: login returns a token, the order endpoint wants it.
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"token":"t-1"}`)
	})
	mux.HandleFunc("GET /orders", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t-1" {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{"orders":[{"id":7}]}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	r, err := synthetic.NewRunner([]synthetic.Check{{
		Name: "orders",
		Steps: []synthetic.Step{
			{Name: "login", Method: "POST", URL: srv.URL + "/login",
				Assert:  []synthetic.Assertion{{Status: 200}},
				Extract: []synthetic.Extract{{Name: "token", JSONPath: "$.token"}}},
			{Name: "list", URL: srv.URL + "/orders",
				Header: map[string]string{"Authorization": "Bearer ${token}"},
				Assert: []synthetic.Assertion{{Status: 200}, {JSONPath: "$.orders[0].id", Value: "7"}}},
		},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Run(context.Background(), "orders")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("run:", res.Outcome)
	for _, s := range res.Steps {
		fmt.Println(s.Name, s.Status, s.Outcome)
	}

	// A reference to a value no step extracts is refused before any run.
	_, err = synthetic.NewRunner([]synthetic.Check{{Name: "bad", Steps: []synthetic.Step{
		{Name: "list", URL: srv.URL + "/orders", Header: map[string]string{"Authorization": "Bearer ${tokn}"}},
	}}})
	fmt.Println(err)
	// Output:
	// run: pass
	// login 200 pass
	// list 200 pass
	// synthetic: invalid config: check "bad" step "list" Header.Authorization = "${tokn}": refers to a value no Var defines and no earlier step extracts
}
