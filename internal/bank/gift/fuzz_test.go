package gift

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
)

// FuzzParse feeds arbitrary text to Parse: it must never panic, every
// report must point inside the file, and whatever imports cleanly must
// survive Write and Parse unchanged.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.gift"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("::a:: A?{~%50%x ~%50%y ~z}\n"))
	f.Add([]byte("::a:: A?{#=%100%1..2#a =%50%3:1 ~#b}\n"))
	f.Add([]byte("::a:: [html]<p>x<img src=y></p>{=[plain]<b> ~\\~}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, rep := Parse(data, bank.Options{Topic: "coding"})
		if set == nil {
			t.Fatal("nil set")
		}
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		for _, d := range append(rep.Problems, rep.Warnings...) {
			if d.Line < 0 || d.Line > lines || d.Item < 0 {
				t.Fatalf("detail out of the file: %+v", d)
			}
		}
		if len(set.Lines) != len(set.Questions) {
			t.Fatalf("%d line maps for %d questions", len(set.Lines), len(set.Questions))
		}
		if !rep.OK() {
			return
		}
		out, err := Write(set)
		if err != nil {
			t.Fatalf("write: %v", err)
		}
		back, rep2 := Parse(out, bank.Options{Topic: "coding"})
		if !rep2.OK() {
			t.Fatalf("re-parse problems %+v\n%s", rep2.Problems, out)
		}
		if len(back.Questions) != len(set.Questions) {
			t.Fatalf("%d questions back, want %d\n%s", len(back.Questions), len(set.Questions), out)
		}
		for i := range set.Questions {
			if got, want := carried(back.Questions[i]), carried(set.Questions[i]); !reflect.DeepEqual(got, want) {
				t.Fatalf("question %d changed:\n got %+v\nwant %+v\n%s", i+1, got, want, out)
			}
		}
	})
}
