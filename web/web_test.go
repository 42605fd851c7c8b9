package web_test

import (
	"io"
	"io/fs"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/server"
	"github.com/rhitprep/rhitprep/web"
)

// TestStaticFiles checks without a browser that the pages hang together:
// every module a script imports and every file index.html names exists,
// and no page puts data into the document as HTML or uses inline styles
// (the server's Content-Security-Policy forbids them).
func TestStaticFiles(t *testing.T) {
	fsys := web.Static()
	if _, err := fs.Stat(fsys, "index.html"); err != nil {
		t.Fatalf("no index.html: %v", err)
	}
	index, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?:src|href)="/([^"#?]+)"`).FindAllStringSubmatch(string(index), -1) {
		if _, err := fs.Stat(fsys, m[1]); err != nil {
			t.Errorf("index.html names /%s, which is missing", m[1])
		}
	}
	if strings.Contains(string(index), "<style") || strings.Contains(string(index), "style=") {
		t.Errorf("index.html has inline styles, which the CSP forbids")
	}
	importRE := regexp.MustCompile(`(?m)^\s*import\s[^'"]*['"]([^'"]+)['"]`)
	forbidden := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function`)
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		dir := p[:strings.LastIndex(p, "/")+1]
		for _, m := range importRE.FindAllStringSubmatch(string(src), -1) {
			target := resolve(dir, m[1])
			if _, err := fs.Stat(fsys, target); err != nil {
				t.Errorf("%s imports %s (%s), which is missing", p, m[1], target)
			}
		}
		if loc := forbidden.FindIndex(src); loc != nil {
			t.Errorf("%s uses %s: data must go into the page as text", p, src[loc[0]:loc[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func resolve(dir, spec string) string {
	parts := strings.Split(strings.TrimSuffix(dir, "/"), "/")
	if dir == "" {
		parts = nil
	}
	for _, s := range strings.Split(spec, "/") {
		switch s {
		case ".", "":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "/")
}

// TestServed checks that the server serves the pages at / with types a
// browser accepts for modules and styles, under the strict CSP.
func TestServed(t *testing.T) {
	app := server.New(server.Deps{Log: quietLog(), Web: web.Static()})
	for path, want := range map[string]string{
		"/":            "text/html",
		"/index.html":  "text/html",
		"/js/app.js":   "javascript",
		"/style.css":   "text/css",
		"/favicon.svg": "image/svg+xml",
	} {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, want) {
			t.Errorf("GET %s: Content-Type %q, want %s", path, ct, want)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: no strict CSP (%q)", path, csp)
		}
		if len(body) == 0 {
			t.Errorf("GET %s: empty body", path)
		}
	}
}
