package qti

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
)

// FuzzParse feeds Parse packages and bare files mutated from the fixtures:
// it must never panic or hang, and what it returns must hang together.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"qti21", "qti22", "qti30", "canvas12", "broken", "nomanifest"} {
		f.Add(zipDir(f, filepath.Join("testdata", dir)))
	}
	files, err := filepath.Glob("testdata/*/*.xml")
	if err != nil {
		f.Fatal(err)
	}
	more, _ := filepath.Glob("testdata/*/*/*.xml")
	for _, name := range append(append(files, more...), "testdata/doctype.xml") {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(canvas(numericCanvas(set100(`<or><varequal>5</varequal><and><vargt>4</vargt><varlte>6</varlte></and></or>`)))))
	f.Add([]byte(canvas(canvasChoice("multiple_answers_question", "Multiple", set100(`<and><varequal>1</varequal><not><varequal>2</varequal></not></and>`)))))
	f.Add(zipEntries(f, "imsmanifest.xml", manifestFor("a.xml"), "a.xml", item21("a")))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, rep := Parse(data, bank.Options{Topic: "coding"})
		if set != nil {
			if set.Lines != nil && len(set.Lines) != len(set.Questions) {
				t.Fatalf("%d line maps for %d questions", len(set.Lines), len(set.Questions))
			}
			for _, q := range set.Questions {
				if q == nil {
					t.Fatal("nil question")
				}
			}
		}
		for _, d := range append(rep.Problems, rep.Warnings...) {
			if d.Item < 0 || d.Line < 0 || d.Message == "" {
				t.Fatalf("bad detail %+v", d)
			}
		}
	})
}
