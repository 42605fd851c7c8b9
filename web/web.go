// Package web holds rhitprep's pages: plain HTML, CSS and JavaScript
// modules, embedded in the binary so that the one executable serves the
// whole application, works offline and needs no front-end build step.
//
// The pages are a single-page application on the JSON API (described at
// /api/v1/openapi.yaml): index.html loads js/app.js, which routes on the URL's
// hash (#/exam/ID, #/progress, …). Every asset comes from this folder; none
// from another host, so the server's Content-Security-Policy (script-src,
// style-src and default-src 'self') holds with no exception.
package web

import (
	"embed"
	"io/fs"
)

// static is the folder the server serves at /. It is embedded rather than
// read from disk so that a release is one file and the pages always match
// the API of the binary that serves them.
//
//go:embed static
var static embed.FS

// Static returns the pages with static/ as their root, so that
// static/index.html is served as /index.html (and as / by the server's
// index rule). server.Deps.Web takes it.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}
