// Package ui stands in for github.com/prometheus/alertmanager/ui when the server is built from the module
// zip, which lacks the embedded UI build (ui/app/dist). engines/alertmanager/build.sh copies the module and
// puts this file in place of its ui/web.go; it is never imported as a package of ours.
package ui

import (
	"net/http"

	"github.com/prometheus/common/route"
)

// Register serves a plain note where the web UI would be; the API (/api/v2) is registered elsewhere.
func Register(r *route.Router) {
	r.Get("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Alertmanager (cdk8s-lgtm test build): web UI not included; use /api/v2\n"))
	})
}
