package availability

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// reasonWithheld replaces a reason the Authorizer does not allow.
const reasonWithheld = "reason withheld"

// serveStatusz answers /statusz as HTML or JSON (wantsHTML), to the
// requests authorize allows.
func (m *Monitor) serveStatusz(w http.ResponseWriter, r *http.Request, authorize Authorizer) {
	allowed, details := authorize(r)
	if !allowed {
		http.Error(w, "availability: /statusz is not served to this client (see availability.WithAuthorizer)", http.StatusForbidden)
		return
	}
	st := m.Statusz()
	if !details {
		st.withholdReasons()
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Accept")
	if wantsHTML(r) {
		var buf bytes.Buffer
		if err := renderPage(&buf, m.pageView(st, details)); err != nil {
			http.Error(w, "availability: rendering status page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// Self-contained by construction; the policy keeps it so.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
		_, _ = w.Write(buf.Bytes())
		return
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		http.Error(w, "availability: encoding status: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}

// withholdReasons blanks the texts that may carry internal detail:
// remediation reasons, synthetic failures and log template texts.
func (st *Statusz) withholdReasons() {
	for i := range st.Remediation {
		if st.Remediation[i].Reason != "" {
			st.Remediation[i].Reason = reasonWithheld
		}
	}
	st.withholdSynthetic()
	if st.Logs != nil {
		st.Logs.withholdTemplates()
	}
}

// wantsHTML reports whether r prefers HTML: ?format=html or json decides;
// otherwise the Accept header, text/html against application/json by
// quality (a browser's Accept lists text/html first; curl's */* and a
// missing header get JSON, the document scripts read).
func wantsHTML(r *http.Request) bool {
	switch r.URL.Query().Get("format") {
	case "json":
		return false
	case "html":
		return true
	}
	var htmlQ, jsonQ float64
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(s, 64); err == nil {
				q = v
			}
		}
		switch mt {
		case "text/html", "application/xhtml+xml":
			htmlQ = max(htmlQ, q)
		case "application/json":
			jsonQ = max(jsonQ, q)
		}
	}
	return htmlQ > jsonQ
}
