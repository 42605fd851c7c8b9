// Package qti imports IMS QTI content packages, the exchange format every
// major LMS exports question banks in, so instructors can bring questions
// they already have into rhitprep without retyping them.
//
// It reads QTI 2.1, 2.2 and 3.0 items (choice and numeric text-entry
// interactions) and QTI 1.2 as Canvas exports it (multiple choice,
// true/false, multiple answers, numerical), from a ZIP package with
// imsmanifest.xml or from one bare XML file. Whatever rhitprep cannot
// represent is skipped or converted with a warning, never silently; a scoring
// scheme it cannot reproduce is a problem. The ZIP is read with hard limits
// and the XML without DTD processing, because packages come from uploads.
package qti

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Limits on a package. The expanded sizes are counted while reading, never
// taken from the ZIP headers, which an attacker writes.
const (
	maxEntries = 2000
	maxTotal   = 50 << 20
	maxEntry   = 10 << 20
)

const manifestName = "imsmanifest.xml"

// loc is where a field of a question came from: an element of an entry.
type loc struct {
	entry string
	n     *node
}

// qinfo is what the importer keeps about each question it built, to point
// bank.Check's findings at the right entry, element and item number.
type qinfo struct {
	item  int
	entry string
	locs  map[string]loc
	// reported are the fields the importer already found a problem in;
	// bank.Check's more generic problems there are left out.
	reported map[string]bool
}

// parser holds the state of one import.
type parser struct {
	opt      bank.Options
	rep      *bank.Report
	set      *bank.Set
	bare     bool
	files    map[string]*zip.File
	budget   int64
	overflow bool
	items    int
	qs       []qinfo
	// reported holds, per item number, the fields with a problem.
	reported map[int]map[string]bool
	titles   []string
	// defaults is the manifest-level metadata, for items with none.
	defaults *meta
	stimuli  map[string]*stimulus
}

// Parse reads a QTI content package (a ZIP with imsmanifest.xml) or a single
// QTI XML file into a set and checks it with bank.Check. Problems carry the
// ZIP entry (and the element's path) in Path and the line within that entry;
// item numbers count every item in the package in manifest order, skipped
// ones included. The set is nil only when nothing could be read at all.
func Parse(data []byte, opt bank.Options) (*bank.Set, bank.Report) {
	var rep bank.Report
	p := &parser{opt: opt, rep: &rep, set: &bank.Set{Format: "qti"}, stimuli: map[string]*stimulus{}, reported: map[int]map[string]bool{}}
	ok := false
	if isZip(data) {
		ok = p.readPackage(data)
	} else {
		p.bare = true
		ok = p.readBare(data)
	}
	if !ok {
		return nil, rep
	}
	if len(p.set.Questions) == 0 && len(rep.Problems) == 0 {
		p.problem("", nil, 0, "", "The file holds no question rhitprep can import.")
	}
	p.check()
	return p.set, rep
}

// check runs bank.Check and then points what it found at the entry, element
// and item number of the package, which Check cannot know.
func (p *parser) check() {
	if p.bare {
		p.set.Lines = make([]map[string]int, len(p.qs))
		for i, qi := range p.qs {
			lines := map[string]int{}
			for f, l := range qi.locs {
				if l.entry == "" && l.n != nil {
					lines[f] = l.n.line
				}
			}
			p.set.Lines[i] = lines
		}
	}
	np, nw := len(p.rep.Problems), len(p.rep.Warnings)
	bank.Check(p.set, p.opt, p.rep)
	fix := func(ds []quiz.Detail) {
		for i := range ds {
			d := &ds[i]
			if d.Item < 1 || d.Item > len(p.qs) {
				continue
			}
			qi := p.qs[d.Item-1]
			d.Item = qi.item
			l, ok := qi.locs[d.Field]
			if !ok {
				if j := strings.IndexByte(d.Field, '.'); j > 0 {
					l, ok = qi.locs[d.Field[:j]]
				}
			}
			if !ok || l.n == nil {
				l, ok = qi.locs["id"]
			}
			if ok && l.n != nil {
				d.Line = l.n.line
				d.Path = p.path(l.entry, l.n)
			}
		}
	}
	// Drop Check's problems in fields the importer already explained.
	kept := p.rep.Problems[:np]
	for _, d := range p.rep.Problems[np:] {
		if d.Item >= 1 && d.Item <= len(p.qs) && p.qs[d.Item-1].reported[d.Field] {
			continue
		}
		kept = append(kept, d)
	}
	p.rep.Problems = kept
	fix(p.rep.Problems[np:])
	fix(p.rep.Warnings[nw:])
}

// isZip reports whether data starts like a ZIP archive.
func isZip(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06"))
}

func (p *parser) path(entry string, n *node) string {
	if p.bare || entry == "" {
		return ""
	}
	if n == nil {
		return entry
	}
	return entry + "#" + n.xpath()
}

func (p *parser) detail(entry string, n *node, item int, field, format string, args []any) quiz.Detail {
	d := quiz.Detail{Item: item, Field: field, Message: fmt.Sprintf(format, args...), Path: p.path(entry, n)}
	if n != nil {
		d.Line = n.line
	}
	return d
}

// problem records something that stops the import.
func (p *parser) problem(entry string, n *node, item int, field, format string, args ...any) {
	p.rep.Problems = append(p.rep.Problems, p.detail(entry, n, item, field, format, args))
	if item > 0 && field != "" {
		if p.reported[item] == nil {
			p.reported[item] = map[string]bool{}
		}
		p.reported[item][field] = true
	}
}

// warn records a change or omission the import goes ahead with.
func (p *parser) warn(entry string, n *node, item int, field, format string, args ...any) {
	p.rep.Warnings = append(p.rep.Warnings, p.detail(entry, n, item, field, format, args))
}

// nextItem numbers the next item in the package, skipped or not.
func (p *parser) nextItem() int {
	p.items++
	return p.items
}

// add keeps a finished question with where its fields came from.
func (p *parser) add(q *quiz.Question, item int, entry string, locs map[string]loc) {
	p.set.Questions = append(p.set.Questions, q)
	p.qs = append(p.qs, qinfo{item: item, entry: entry, locs: locs, reported: p.reported[item]})
}

// readBare reads one QTI XML file that is not in a package.
func (p *parser) readBare(data []byte) bool {
	root := p.parseEntry("", data)
	if root == nil {
		return false
	}
	switch root.name {
	case "assessmentItem":
		p.qti2Item("", root, nil)
	case "questestinterop":
		p.qti1("", root, nil)
		p.setName("")
	case "assessmentTest":
		p.problem("", root, 0, "", "This is an assessment test, which only refers to item files: upload the whole content package (ZIP) instead.")
	case "manifest":
		p.problem("", root, 0, "", "This is only the package manifest: upload the whole content package (ZIP) instead.")
	default:
		p.problem("", root, 0, "", "The file is neither a QTI content package (ZIP) nor a QTI item or assessment (its root element is <%s>).", root.raw)
		return false
	}
	return true
}

// parseEntry parses one XML file, reporting why it cannot be read.
func (p *parser) parseEntry(entry string, data []byte) *node {
	root, xe := parseXML(data)
	if xe == nil {
		return root
	}
	d := quiz.Detail{Line: xe.line, Path: p.path(entry, nil)}
	switch {
	case xe.msg == errEntities.Error():
		d.Message = "The XML declares entities in its DOCTYPE, which rhitprep refuses (entity expansion can exhaust memory or read other files); remove the DOCTYPE."
	case p.bare && !looksLikeXML(data):
		d.Line = 0
		d.Message = "The file is neither a QTI content package (ZIP) nor a QTI XML file."
	default:
		d.Message = upperFirst(xe.msg) + "."
	}
	p.rep.Problems = append(p.rep.Problems, d)
	return nil
}

func looksLikeXML(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"), []byte("<"))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// readPackage reads a ZIP content package: its entries (checked), then its
// manifest, then each QTI resource in manifest order.
func (p *parser) readPackage(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		p.problem("", nil, 0, "", "The file is not a readable ZIP package: %s.", strings.TrimPrefix(err.Error(), "zip: "))
		return false
	}
	if len(zr.File) > maxEntries {
		p.problem("", nil, 0, "", "The package has %d entries; at most %d are accepted.", len(zr.File), maxEntries)
		return false
	}
	p.files = map[string]*zip.File{}
	p.budget = maxTotal
	for _, f := range zr.File {
		name := f.Name
		if msg := badEntryName(name); msg != "" {
			p.problem(name, nil, 0, "", "The entry %q %s; the package is refused.", name, msg)
			continue
		}
		if strings.HasSuffix(name, "/") {
			continue
		}
		if _, dup := p.files[name]; dup {
			p.problem(name, nil, 0, "", "The entry %q appears twice in the package.", name)
			continue
		}
		p.files[name] = f
	}
	mname := manifestName
	if p.files[mname] == nil {
		// A package zipped from its folder has the manifest one level down.
		var found []string
		for name := range p.files {
			if path.Base(name) == manifestName && strings.Count(name, "/") == 1 {
				found = append(found, name)
			}
		}
		if len(found) != 1 {
			p.problem(manifestName, nil, 0, "", "The package has no imsmanifest.xml at its top level, so its items cannot be found; export it again as an IMS QTI content package.")
			return true
		}
		mname = found[0]
	}
	data, ok := p.readFile(mname, "", nil)
	if !ok {
		return true
	}
	root := p.parseEntry(mname, data)
	if root == nil {
		return true
	}
	if root.name != "manifest" {
		p.problem(mname, root, 0, "", "The manifest's root element is <%s>, not <manifest>.", root.raw)
		return true
	}
	p.manifest(mname, root)
	return true
}

// badEntryName says why a ZIP entry name is refused, or "".
func badEntryName(name string) string {
	switch {
	case name == "":
		return "has no name"
	case strings.Contains(name, "\\"):
		return "contains a backslash"
	case strings.HasPrefix(name, "/") || len(name) > 1 && name[1] == ':':
		return "is an absolute path"
	case strings.ContainsRune(name, 0):
		return "contains a NUL character"
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "climbs out of the package with \"..\""
		}
	}
	return ""
}

// readFile reads a package entry through the limits. from is the entry that
// referred to it, for the problem when it is missing.
func (p *parser) readFile(name, from string, at *node) ([]byte, bool) {
	f := p.files[name]
	if f == nil {
		if from == "" {
			from = name
		}
		p.problem(from, at, 0, "", "The package refers to %q, which it does not contain.", name)
		return nil, false
	}
	if p.overflow {
		return nil, false
	}
	rc, err := f.Open()
	if err != nil {
		p.problem(name, nil, 0, "", "The entry cannot be read: %s.", strings.TrimPrefix(err.Error(), "zip: "))
		return nil, false
	}
	defer rc.Close()
	limit := int64(maxEntry)
	if p.budget < limit {
		limit = p.budget
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(rc, limit+1))
	switch {
	case n > limit && limit == maxEntry:
		p.problem(name, nil, 0, "", "The entry expands to more than %d MiB; the package is refused.", maxEntry>>20)
		return nil, false
	case n > limit:
		p.overflow = true
		p.problem(name, nil, 0, "", "The package expands to more than %d MiB in total; the package is refused.", maxTotal>>20)
		return nil, false
	case err != nil:
		p.problem(name, nil, 0, "", "The entry cannot be read: %s.", strings.TrimPrefix(err.Error(), "zip: "))
		return nil, false
	}
	p.budget -= n
	return buf.Bytes(), true
}

// resolve turns an href in entry from (under base) into an entry name.
func (p *parser) resolve(from string, n *node, base, href string) (string, bool) {
	if u, err := url.PathUnescape(href); err == nil {
		href = u
	}
	if i := strings.IndexAny(href, "?#"); i >= 0 {
		href = href[:i]
	}
	if strings.Contains(href, "://") || strings.HasPrefix(href, "/") || strings.Contains(href, "\\") {
		p.problem(from, n, 0, "", "The reference %q is not a path inside the package.", href)
		return "", false
	}
	full := path.Clean(path.Join(base, href))
	if full == ".." || strings.HasPrefix(full, "../") {
		p.problem(from, n, 0, "", "The reference %q climbs out of the package with \"..\".", href)
		return "", false
	}
	return full, true
}

// xmlBase joins the xml:base attributes of n and its ancestors onto dir.
func xmlBase(dir string, n *node) string {
	var bases []string
	for m := n; m != nil; m = m.parent {
		for _, a := range m.attrs {
			if a.Name.Local == "base" && a.Name.Space == "http://www.w3.org/XML/1998/namespace" {
				bases = append(bases, a.Value)
			}
		}
	}
	for i := len(bases) - 1; i >= 0; i-- {
		dir = path.Join(dir, bases[i])
	}
	return dir
}

// Resource types. QTI 2/3 name their items and tests; QTI 1.2 (Canvas, and
// Common Cartridge's assessment and question-bank profiles) has one type
// for a whole quiz file.
var (
	itemTypes = map[string]bool{"imsqti_item_xmlv2p0": true, "imsqti_item_xmlv2p1": true, "imsqti_item_xmlv2p2": true, "imsqti_item_xmlv3p0": true}
	testTypes = map[string]bool{"imsqti_test_xmlv2p1": true, "imsqti_test_xmlv2p2": true, "imsqti_test_xmlv3p0": true}
)

// quietTypes are resources the importer does not need: files the items
// use, Canvas's quiz settings, response-processing templates, stimuli
// (read through the items that refer to them).
func quietType(t string) bool {
	return t == "" || t == "webcontent" || strings.HasPrefix(t, "associatedcontent/") ||
		strings.HasPrefix(t, "imsqti_responseprocessing") || strings.HasPrefix(t, "imsqti_stimulus") ||
		strings.HasPrefix(t, "imsqti_fragment") || strings.HasPrefix(t, "imsqti_outcomes") ||
		strings.HasPrefix(t, "controlfile") || strings.HasPrefix(t, "extension") || strings.HasPrefix(t, "imsbasiclti") ||
		strings.HasPrefix(t, "imswl_") || strings.HasPrefix(t, "imsdt_") || strings.HasPrefix(t, "imsapip_")
}

// manifest reads the package's metadata and then each QTI resource.
func (p *parser) manifest(mname string, root *node) {
	dir := path.Dir(mname)
	if dir == "." {
		dir = ""
	}
	if md := root.child("metadata"); md != nil {
		m := p.lomMeta(mname, md, 0)
		p.defaults = &m
		p.set.Description = lomString(md, "general", "description")
	}
	manifestTitle := lomString(root.child("metadata"), "general", "title")
	done := map[string]bool{}
	resources := root.child("resources")
	for _, r := range resources.children("resource") {
		typ := strings.TrimSpace(r.attr("type"))
		href := r.attr("href")
		if href == "" {
			if f := r.child("file"); f != nil {
				href = f.attr("href")
			}
		}
		kind := ""
		switch {
		case itemTypes[typ]:
			kind = "item"
		case testTypes[typ]:
			kind = "test"
		case strings.HasPrefix(typ, "imsqti_xmlv1p2") || strings.HasPrefix(typ, "imsqti_xmlv1p"):
			kind = "qti1"
		case quietType(typ):
			continue
		default:
			p.warn(mname, r, 0, "", "The resource %q of type %q was not read: rhitprep imports QTI 1.2, 2.1, 2.2 and 3.0 items.", r.attr("identifier"), typ)
			continue
		}
		if href == "" {
			p.problem(mname, r, 0, "", "The %s resource %q names no file.", typ, r.attr("identifier"))
			continue
		}
		name, ok := p.resolve(mname, r, xmlBase(dir, r), href)
		if !ok || done[name] {
			continue
		}
		done[name] = true
		mark := len(p.rep.Problems)
		data, ok := p.readFile(name, mname, r)
		var doc *node
		if ok {
			doc = p.parseEntry(name, data)
		}
		if doc == nil {
			// A broken item file is still an item: number it, so the
			// items after it keep their numbers.
			if kind == "item" {
				item := p.nextItem()
				for i := mark; i < len(p.rep.Problems); i++ {
					p.rep.Problems[i].Item = item
				}
			}
			if p.overflow {
				return
			}
			continue
		}
		var md *meta
		if m := r.child("metadata"); m != nil {
			mm := p.lomMeta(mname, m, p.items+1)
			md = &mm
		}
		switch kind {
		case "item":
			if doc.name != "assessmentItem" {
				p.problem(name, doc, p.nextItem(), "", "The resource is declared as a QTI item but its root element is <%s>.", doc.raw)
				continue
			}
			p.qti2Item(name, doc, md)
		case "test":
			if doc.name != "assessmentTest" {
				p.warn(name, doc, 0, "", "The resource is declared as a QTI test but its root element is <%s>; it was not read.", doc.raw)
				continue
			}
			if t := strings.TrimSpace(doc.attr("title")); t != "" {
				p.titles = append(p.titles, t)
			}
		case "qti1":
			if doc.name != "questestinterop" {
				p.problem(name, doc, p.nextItem(), "", "The resource is declared as QTI 1.2 but its root element is <%s>.", doc.raw)
				continue
			}
			p.qti1(name, doc, md)
		}
	}
	if p.items == 0 && !p.overflow {
		p.problem(mname, resources, 0, "", "The manifest lists no QTI item (resources of type imsqti_item_xmlv2p1, imsqti_item_xmlv2p2, imsqti_item_xmlv3p0 or imsqti_xmlv1p2).")
	}
	p.setName(manifestTitle)
}

// setName names the set after its one test or quiz, else the manifest.
func (p *parser) setName(manifestTitle string) {
	uniq := map[string]bool{}
	for _, t := range p.titles {
		uniq[t] = true
	}
	switch {
	case len(uniq) == 1:
		p.set.Name = p.titles[0]
	case manifestTitle != "":
		p.set.Name = manifestTitle
	case len(p.titles) > 0:
		p.set.Name = p.titles[0]
	}
}

// lomString returns the text of a LOM field (general/title, general/description)
// under a metadata element, whatever LOM binding the package uses.
func lomString(md *node, section, field string) string {
	if md == nil {
		return ""
	}
	for _, lom := range md.find(named("lom")) {
		if f := lom.child(section).child(field); f != nil {
			return tidy(f.textContent())
		}
	}
	return ""
}
