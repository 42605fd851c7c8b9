package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipDir packs a folder as a content package, as an instructor's LMS
// export would arrive.
func zipDir(t *testing.T, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// TestUploadEveryFormat sends each format's valid fixture through the API
// with only a file name, so the format is guessed, and checks what was
// stored can be exported as GIFT and imported again unchanged.
func TestUploadEveryFormat(t *testing.T) {
	h := newHarness(t)
	teacher := h.signUp("hana", "instructor")
	read := func(p string) []byte {
		data, err := os.ReadFile(filepath.Join("..", "bank", p))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		format, file string
		data         []byte
	}{
		{"gift", "valid.gift", read("gift/testdata/valid.gift")},
		{"aiken", "valid.txt", read("aiken/testdata/valid.aiken")},
		{"csv", "template.csv", read("csv/testdata/template.csv")},
		{"moodlexml", "export.xml", read("moodlexml/testdata/valid.xml")},
		{"qti", "package.zip", zipDir(t, filepath.Join("..", "bank", "qti", "testdata", "qti21"))},
		{"qti", "canvas.zip", zipDir(t, filepath.Join("..", "bank", "qti", "testdata", "canvas12"))},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			q := url.Values{"filename": {tt.file}, "topic": {"coding"}, "domain": {"4"}, "name": {"Set " + tt.file}}
			r := h.request("POST", "/api/v1/question-sets?"+q.Encode(), teacher, tt.data)
			if r.status != 201 {
				t.Fatalf("upload = %d %s", r.status, r.body)
			}
			m := r.json(t)
			if m["format"] != tt.format {
				t.Errorf("read as %v, want %s", m["format"], tt.format)
			}
			set := m["set"].(map[string]any)
			if set["questions"].(float64) < 1 {
				t.Fatalf("no questions stored: %v", m)
			}
			id := set["id"].(string)
			gift := h.request("GET", "/api/v1/question-sets/"+id+"/export?format=gift", teacher, nil)
			if gift.status != 200 || !strings.HasPrefix(gift.header.Get("Content-Type"), "text/plain") {
				t.Fatalf("GIFT export = %d %s", gift.status, gift.body)
			}
			back := h.must(201, "POST", "/api/v1/question-sets?format=gift&name=Back+"+url.QueryEscape(tt.file), teacher, string(gift.body))
			before := h.must(200, "GET", "/api/v1/question-sets/"+id, teacher, nil)["questions"].([]any)
			after := h.must(200, "GET", "/api/v1/question-sets/"+back["set"].(map[string]any)["id"].(string), teacher, nil)["questions"].([]any)
			if len(before) != len(after) {
				t.Fatalf("GIFT round trip: %d questions, then %d", len(before), len(after))
			}
			for i := range before {
				b, a := before[i].(map[string]any), after[i].(map[string]any)
				for _, f := range []string{"id", "type", "stem", "answer", "topic", "domain", "tolerance", "rationale"} {
					if strings.TrimSpace(jsonString(b[f])) != strings.TrimSpace(jsonString(a[f])) {
						t.Errorf("question %d field %s: %v, then %v", i, f, b[f], a[f])
					}
				}
			}
		})
	}
}

// jsonString renders a decoded JSON value for comparison.
func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
