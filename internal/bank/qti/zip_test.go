package qti

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
)

// manifestFor lists QTI 2.1 item resources, in order.
func manifestFor(hrefs ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M"><resources>` + "\n")
	for i, h := range hrefs {
		fmt.Fprintf(&b, `<resource identifier="R%d" type="imsqti_item_xmlv2p1" href="%s"/>`+"\n", i, h)
	}
	b.WriteString("</resources></manifest>\n")
	return b.String()
}

// item21 is a valid QTI 2.1 single-answer item.
func item21(id string) string {
	return `<?xml version="1.0"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="` + id + `" title="T">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>A</value></correctResponse>
  </responseDeclaration>
  <itemBody>
    <choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">
      <prompt>Question about ` + id + `?</prompt>
      <simpleChoice identifier="A">yes</simpleChoice>
      <simpleChoice identifier="B">no</simpleChoice>
    </choiceInteraction>
  </itemBody>
</assessmentItem>
`
}

// padded is an item followed by n bytes of white space: it compresses to
// almost nothing, as a ZIP bomb does.
func padded(id string, n int) string {
	return item21(id) + strings.Repeat(" ", n)
}

func TestZipSlipPaths(t *testing.T) {
	data := zipEntries(t,
		"imsmanifest.xml", manifestFor("items/a.xml"),
		"items/a.xml", item21("a"),
		"../evil.xml", "x",
		"/etc/passwd", "x",
		`items\win.xml`, "x",
		"items/../../up.xml", "x",
		"C:/windows.xml", "x",
	)
	set, rep := Parse(data, bank.Options{Topic: "coding"})
	checkDetails(t, "problem", rep.Problems, []wantD{
		{0, 0, "../evil.xml", "", `The entry "../evil.xml" climbs out of the package`},
		{0, 0, "/etc/passwd", "", "is an absolute path"},
		{0, 0, `items\win.xml`, "", "contains a backslash"},
		{0, 0, "items/../../up.xml", "", "climbs out of the package"},
		{0, 0, "C:/windows.xml", "", "is an absolute path"},
	}, true)
	// The rest of the package is still read, so every problem is found.
	if set == nil || len(set.Questions) != 1 {
		t.Errorf("set = %+v", set)
	}
}

func TestZipReferenceOutside(t *testing.T) {
	data := zipEntries(t, "imsmanifest.xml", manifestFor("../x.xml", "http://example.com/a.xml", "items/a.xml"), "items/a.xml", item21("a"))
	_, rep := Parse(data, bank.Options{Topic: "coding"})
	checkDetails(t, "problem", rep.Problems, []wantD{
		{3, 0, "imsmanifest.xml#/manifest/resources/resource", "", `The reference "../x.xml" climbs out of the package`},
		{4, 0, "imsmanifest.xml#/manifest/resources/resource[2]", "", "is not a path inside the package"},
	}, true)
}

func TestZipBombs(t *testing.T) {
	t.Run("one entry", func(t *testing.T) {
		data := zipEntries(t, "imsmanifest.xml", manifestFor("items/big.xml", "items/a.xml"), "items/big.xml", padded("big", 11<<20), "items/a.xml", item21("a"))
		if len(data) > 100<<10 {
			t.Fatalf("the bomb is %d bytes", len(data))
		}
		set, rep := Parse(data, bank.Options{Topic: "coding"})
		checkDetails(t, "problem", rep.Problems, []wantD{{0, 1, "items/big.xml", "", "expands to more than 10 MiB"}}, true)
		if set == nil || len(set.Questions) != 1 || set.Questions[0].ID != "a" {
			t.Errorf("the items after the bomb were not read: %+v", set)
		}
	})
	t.Run("in total", func(t *testing.T) {
		entries := []string{"imsmanifest.xml", ""}
		var hrefs []string
		for i := 1; i <= 7; i++ {
			name := fmt.Sprintf("items/b%d.xml", i)
			hrefs = append(hrefs, name)
			// Not XML from the first byte, so the test times the limit and
			// not the XML parser.
			entries = append(entries, name, "\x00"+strings.Repeat(" ", 9<<20))
		}
		entries[1] = manifestFor(hrefs...)
		set, rep := Parse(zipEntries(t, entries...), bank.Options{Topic: "coding"})
		want := []wantD{{0, 6, "items/b6.xml", "", "expands to more than 50 MiB in total"}}
		for i := 1; i <= 5; i++ {
			want = append(want, wantD{1, i, fmt.Sprintf("items/b%d.xml", i), "", "not well formed"})
		}
		// Reading stops at the limit: item 7 is never opened.
		checkDetails(t, "problem", rep.Problems, want, true)
		if set == nil || len(set.Questions) != 0 {
			t.Errorf("set = %+v", set)
		}
	})
	// Headers that lie about the expanded size: too small (the reader stops
	// at the claimed size and the entry is refused) and absurdly large
	// (nothing is allocated from the header; the short data is refused).
	for _, claim := range []uint64{100, 1 << 40} {
		t.Run(fmt.Sprintf("header claims %d bytes", claim), func(t *testing.T) {
			content := []byte(padded("liar", 1<<20))
			var comp bytes.Buffer
			fw, _ := flate.NewWriter(&comp, flate.BestCompression)
			fw.Write(content)
			fw.Close()
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("imsmanifest.xml")
			w.Write([]byte(manifestFor("items/liar.xml")))
			rw, err := zw.CreateRaw(&zip.FileHeader{Name: "items/liar.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
				CompressedSize64: uint64(comp.Len()), UncompressedSize64: claim})
			if err != nil {
				t.Fatal(err)
			}
			rw.Write(comp.Bytes())
			zw.Close()
			_, rep := Parse(buf.Bytes(), bank.Options{Topic: "coding"})
			checkDetails(t, "problem", rep.Problems, []wantD{{0, 1, "items/liar.xml", "", "The entry cannot be read"}}, true)
		})
	}
	t.Run("too many entries", func(t *testing.T) {
		entries := []string{"imsmanifest.xml", manifestFor()}
		for i := 0; i < maxEntries; i++ {
			entries = append(entries, fmt.Sprintf("f%d.txt", i), "")
		}
		set, rep := Parse(zipEntries(t, entries...), bank.Options{})
		checkDetails(t, "problem", rep.Problems, []wantD{{0, 0, "", "", "The package has 2001 entries; at most 2000"}}, true)
		if set != nil {
			t.Errorf("set = %+v", set)
		}
	})
}

func TestPackageShapes(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		nilSet   bool
		problems []wantD
		count    int
	}{
		{"not a package", []byte("hello, world"), true, []wantD{{0, 0, "", "", "neither a QTI content package (ZIP) nor a QTI XML file"}}, 0},
		{"empty", nil, true, []wantD{{0, 0, "", "", "neither a QTI content package"}}, 0},
		{"corrupt zip", []byte("PK\x03\x04 this is not really a zip file"), true, []wantD{{0, 0, "", "", "not a readable ZIP package"}}, 0},
		{"missing manifest", zipDir(t, "testdata/nomanifest"), false, []wantD{{0, 0, "imsmanifest.xml", "", "no imsmanifest.xml at its top level"}}, 0},
		{"manifest one folder down", zipEntries(t, "pkg/imsmanifest.xml", manifestFor("items/a.xml"), "pkg/items/a.xml", item21("a")), false, nil, 1},
		{"manifest lists no item", zipEntries(t, "imsmanifest.xml", manifestFor()), false, []wantD{{2, 0, "imsmanifest.xml#/manifest/resources", "", "lists no QTI item"}}, 0},
		{"manifest is not XML", zipEntries(t, "imsmanifest.xml", "<manifest><resources></manifest>"), false, []wantD{{1, 0, "imsmanifest.xml", "", "not well formed"}}, 0},
		{"only skipped items", zipEntries(t, "imsmanifest.xml", manifestFor("e.xml"), "e.xml", `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="e"><itemBody><p>Read this.</p></itemBody></assessmentItem>`),
			false, []wantD{{0, 0, "", "", "holds no question rhitprep can import"}}, 0},
		{"duplicate entries", zipEntries(t, "imsmanifest.xml", manifestFor("a.xml"), "a.xml", item21("a"), "a.xml", item21("b")), false, []wantD{{0, 0, "a.xml", "", "appears twice"}}, 1},
		{"bare manifest", []byte(manifestFor("a.xml")), false, []wantD{{2, 0, "", "", "only the package manifest"}}, 0},
		{"bare test", []byte(`<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="T"/>`), false, []wantD{{1, 0, "", "", "upload the whole content package"}}, 0},
		{"bare unknown XML", []byte(`<html><body/></html>`), true, []wantD{{1, 0, "", "", "its root element is <html>"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, rep := Parse(tt.data, bank.Options{Topic: "coding"})
			if (set == nil) != tt.nilSet {
				t.Fatalf("set = %+v", set)
			}
			checkDetails(t, "problem", rep.Problems, tt.problems, true)
			if set != nil && len(set.Questions) != tt.count {
				t.Errorf("%d questions, want %d", len(set.Questions), tt.count)
			}
		})
	}
}
