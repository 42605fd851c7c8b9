// Package csv reads question sets from a spreadsheet saved as CSV, so that
// instructors who keep their items in Excel, LibreOffice or Google Sheets can
// upload them without learning the native YAML format. Every row is one item;
// the first row names the columns.
//
// # The template
//
// The header row is required. Columns are matched by their header name,
// ignoring case, surrounding spaces, and the difference between "_", "-" and
// a space ("Option A" is option_a), and they may come in any order. Only stem
// and answer are required columns; a column the template does not know is
// ignored with a warning.
//
//	column          meaning
//	id              the item's stable id (letters, digits, '.', '_', ':', '-');
//	                empty: q1, q2, ... by row
//	topic           terminology, coding, regulations, release-of-information
//	                or statistics; empty: the upload's topic parameter
//	domain          the RHIT domain, 1-6 ("4" or "domain-4")
//	subtopic        free text, for reports
//	difficulty      easy, medium (default) or hard
//	cognitive       recall, application (default) or analysis
//	type            single, multiple or numeric; empty: single, or multiple
//	                when the answer lists several letters
//	stem            the question, plain text; line breaks inside a quoted
//	                cell are kept
//	option_a ...    the options, up to option_f; empty cells are ignored
//	option_f
//	answer          single: one letter ("B"); multiple: letters separated by
//	                ";" or "," ("A;C"); numeric: a number ("88.89")
//	tolerance       numeric only: the largest accepted distance from the answer
//	partial_credit  multiple only: true/false (also yes/no, 1/0)
//	rationale       why the key is right
//	references      sources, several separated by " | "
//	scenario_id     the id of a shared case; rows with the same id form an
//	                item set
//	scenario        the case text; give it on one row of the scenario_id (the
//	                others may leave it empty or repeat it)
//
// Options keep the letter of their column. When a cell is left empty between
// two filled ones (option_b empty but option_c filled) the later options move
// up a letter so the item still reads A, B, C, and the answer is moved with
// them; a warning says so.
//
// # What a spreadsheet may produce
//
// The file is UTF-8, with or without a byte order mark; UTF-16 with a byte
// order mark (Excel's "Unicode Text") and Windows-1252 (Excel's plain "CSV")
// are converted with a warning. Lines may end in LF, CRLF or CR. Cells
// holding the delimiter, quotes or line breaks are quoted, with quotes
// doubled. The delimiter is the comma, the semicolon (Excel in locales with a
// decimal comma) or the tab, whichever the header row uses; in a semicolon
// file numbers may use a decimal comma ("5,5"). Empty rows are skipped.
//
// Every line number reported is the line on which the row starts in the file,
// even when a quoted cell before the faulty one spans several lines. The
// header row and every data row are read even after a bad row, so one upload
// lists every problem.
//
// TEMPLATE.md documents the same template for instructors, with an example;
// testdata/template.csv is that example.
package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Format is the format id uploads name this format by (format=csv), and the
// Format of every set Parse returns.
const Format = "csv"

// maxColumnWarnings caps the warnings about columns, so a malformed
// header cannot produce a report many times larger than the file.
const maxColumnWarnings = 20

// optionLetters are the option columns the template has, in order.
const optionLetters = "abcdef"

// known lists every column of the template; the value says whether it is
// required.
var known = map[string]bool{
	"id": false, "topic": false, "domain": false, "subtopic": false, "difficulty": false,
	"cognitive": false, "type": false, "stem": true, "option_a": false, "option_b": false,
	"option_c": false, "option_d": false, "option_e": false, "option_f": false,
	"answer": true, "tolerance": false, "partial_credit": false, "rationale": false,
	"references": false, "scenario_id": false, "scenario": false,
}

// required columns, in the order problems name them.
var required = []string{"stem", "answer"}

// Parse reads a CSV file made from the template and checks the result with
// bank.Check, so a spreadsheet upload obeys the same rules as a native one.
// The set is nil only when the file has no header row to read.
func Parse(data []byte, opt bank.Options) (*bank.Set, bank.Report) {
	var rep bank.Report
	text := decodeText(data, &rep)
	delim := detectDelimiter(text)
	r := stdcsv.NewReader(bytes.NewReader(text))
	r.Comma = delim
	r.FieldsPerRecord = -1

	p := &parser{rep: &rep, delim: delim, set: &bank.Set{Format: Format}}
	header, headerLine, ok := p.readHeader(r)
	if !ok {
		return nil, rep
	}
	p.mapHeader(header, headerLine)
	for {
		before := r.InputOffset()
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *stdcsv.ParseError
			if !errors.As(err, &pe) {
				problem(&rep, 0, 0, "", "the file could not be read: %v", err)
				break
			}
			p.syntax(pe)
			if r.InputOffset() == before {
				break // no progress: never loop on the same bytes
			}
			continue
		}
		line, _ := r.FieldPos(0)
		if blank(row) {
			continue
		}
		p.row(row, line)
	}
	p.resolveScenarios()
	if p.missing {
		// Without a stem or answer column every row would repeat the header
		// problem; report the header once and build nothing.
		p.set.Questions, p.set.Lines = nil, nil
	}
	bank.Check(p.set, opt, &rep)
	return p.set, rep
}

// parser holds what one Parse learns along the way.
type parser struct {
	rep     *bank.Report
	delim   rune
	set     *bank.Set
	cols    map[string]int // column name to index
	width   int            // cells in the header
	unnamed map[int]bool   // columns with an empty header, warned once
	missing bool           // a required column is missing
	// extraWarned counts columns warned about for having values but no
	// header; past maxColumnWarnings the rest are not named one by one.
	extraWarned int

	scenarios    map[string]scenarioText // scenario_id to its text
	autoScenario map[string]string       // scenario text without an id to the id given it
}

type scenarioText struct {
	text string
	line int
}

// readHeader returns the first record; a file with none has no template.
func (p *parser) readHeader(r *stdcsv.Reader) ([]string, int, bool) {
	for {
		row, err := r.Read()
		if err == io.EOF {
			problem(p.rep, 1, 0, "", "the file is empty: the first row must be the header row naming the columns (stem, answer, option_a, ...)")
			return nil, 0, false
		}
		if err != nil {
			var pe *stdcsv.ParseError
			if errors.As(err, &pe) {
				p.syntax(pe)
				problem(p.rep, pe.StartLine, 0, "", "the header row could not be read, so no row can be matched to its columns")
			} else {
				problem(p.rep, 0, 0, "", "the file could not be read: %v", err)
			}
			return nil, 0, false
		}
		line, _ := r.FieldPos(0)
		if blank(row) {
			continue
		}
		return row, line, true
	}
}

// mapHeader finds each template column in the header row.
func (p *parser) mapHeader(header []string, line int) {
	p.cols = map[string]int{}
	p.unnamed = map[int]bool{}
	p.width = len(header)
	unknown := 0
	for i, cell := range header {
		name := columnName(cell)
		if i == 0 {
			name = columnName(strings.TrimPrefix(cell, "\ufeff"))
		}
		switch {
		case name == "":
			p.unnamed[i] = false
		case !isKnown(name):
			unknown++
			if unknown <= maxColumnWarnings {
				cell = clip(strings.TrimSpace(cell), 60)
				warn(p.rep, line, 0, cell, "unknown column %q (column %s) is ignored; the template's columns are id, topic, domain, subtopic, difficulty, cognitive, type, stem, option_a to option_f, answer, tolerance, partial_credit, rationale, references, scenario_id and scenario", cell, colLetter(i))
			}
		default:
			if prev, dup := p.cols[name]; dup {
				problem(p.rep, line, 0, name, "the column %s appears twice (columns %s and %s); keep one", name, colLetter(prev), colLetter(i))
				continue
			}
			p.cols[name] = i
		}
	}
	if unknown > maxColumnWarnings {
		warn(p.rep, line, 0, "", "%d more unknown columns are ignored", unknown-maxColumnWarnings)
	}
	for _, name := range required {
		if _, ok := p.cols[name]; !ok {
			p.missing = true
			problem(p.rep, line, 0, name, "the header row has no %s column; the first row must name the columns (see the template)", name)
		}
	}
}

// isKnown reports whether name is a column of the template.
func isKnown(name string) bool {
	_, ok := known[name]
	return ok
}

// syntax reports a row encoding/csv cannot split into cells.
func (p *parser) syntax(pe *stdcsv.ParseError) {
	where := ""
	if pe.Line != pe.StartLine {
		where = fmt.Sprintf(" (on line %d)", pe.Line)
	}
	switch {
	case errors.Is(pe.Err, stdcsv.ErrBareQuote):
		problem(p.rep, pe.StartLine, 0, "", "a quote (\") appears inside a cell that does not start with one%s; put the whole cell in quotes and double each quote inside it", where)
	case errors.Is(pe.Err, stdcsv.ErrQuote):
		problem(p.rep, pe.StartLine, 0, "", "a quoted cell in this row is not closed properly%s; a quote inside a quoted cell must be doubled (\"\")", where)
	default:
		problem(p.rep, pe.StartLine, 0, "", "this row cannot be read%s: %v", where, pe.Err)
	}
}

// row turns one data row into a question; every problem in it is reported.
func (p *parser) row(row []string, line int) {
	item := len(p.set.Questions) + 1
	get := func(name string) string {
		i, ok := p.cols[name]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	p.extraCells(row, line, item)

	q := &quiz.Question{Line: line}
	lines := map[string]int{}
	for name, i := range p.cols {
		if i < len(row) && strings.TrimSpace(row[i]) != "" {
			lines[name] = line
		}
	}
	lines["options"] = line

	q.ID = get("id")
	if q.ID == "" {
		q.ID = fmt.Sprintf("q%d", item)
	}
	if s := get("topic"); s != "" {
		q.Topic = normalizeTopic(s)
	}
	if s := get("domain"); s != "" {
		if d, ok := parseDomain(s); ok {
			q.Domain = d
		} else {
			problem(p.rep, line, item, "domain", "must be an RHIT domain from 1 to 6, not %q", clip(s, 60))
		}
	}
	q.Subtopic = get("subtopic")
	q.Difficulty = strings.ToLower(get("difficulty"))
	q.Cognitive = strings.ToLower(get("cognitive"))
	q.Type = strings.ToLower(get("type"))
	q.Stem = get("stem")
	q.Rationale = get("rationale")
	for _, ref := range strings.Split(get("references"), "|") {
		if ref = strings.TrimSpace(ref); ref != "" {
			q.References = append(q.References, ref)
		}
	}

	// Options, moved up over empty cells so ids stay A, B, C in order.
	rename := map[string]string{}
	empty := map[string]bool{}
	var moved []string
	for i := 0; i < len(optionLetters); i++ {
		col := "option_" + optionLetters[i:i+1]
		letter := strings.ToUpper(optionLetters[i : i+1])
		text := get(col)
		if text == "" {
			_, empty[letter] = p.cols[col]
			continue
		}
		id := string(rune('A' + len(q.Options)))
		if id != letter {
			moved = append(moved, letter+" is now "+id)
		}
		rename[letter] = id
		q.Options = append(q.Options, quiz.Option{ID: id, Text: text})
	}

	answer := get("answer")
	keys := splitKeys(answer)
	if q.Type == "" {
		q.Type = quiz.Single
		if len(keys) > 1 {
			q.Type = quiz.Multiple
		}
	}
	if q.Type == quiz.Numeric {
		switch {
		case answer == "":
			problem(p.rep, line, item, "answer", "no key: a numeric item needs its value in the answer column")
		default:
			if v, ok := p.number(answer); ok {
				q.Value = v
			} else {
				problem(p.rep, line, item, "answer", "a numeric item's answer must be a number, not %q", clip(answer, 60))
			}
		}
	} else if answer != "" {
		q.Answer = []string{}
		for _, k := range keys {
			switch {
			case rename[k] != "":
				q.Answer = append(q.Answer, rename[k])
			case empty[k]:
				// Kept, so Check does not also call the item keyless.
				problem(p.rep, line, item, "answer", "the key %s names option_%s, which is empty", k, strings.ToLower(k))
				q.Answer = append(q.Answer, k)
			default:
				q.Answer = append(q.Answer, k) // Check reports a key that is no option
			}
		}
	}
	if len(moved) > 0 && q.Type != quiz.Numeric {
		warn(p.rep, line, item, "options", "empty option cells were skipped, so the options after them moved up a letter (%s); the answer was moved with them", strings.Join(moved, ", "))
	}

	if s := get("tolerance"); s != "" {
		if v, ok := p.number(s); !ok {
			problem(p.rep, line, item, "tolerance", "must be a number, not %q", clip(s, 60))
		} else if q.Type != quiz.Numeric {
			warn(p.rep, line, item, "tolerance", "the tolerance %s is ignored: only numeric items have one", s)
		} else {
			q.Tolerance = v
		}
	}
	if s := get("partial_credit"); s != "" {
		if b, ok := parseBool(s); ok {
			q.PartialCredit = b
		} else {
			problem(p.rep, line, item, "partial_credit", "must be true or false, not %q", clip(s, 60))
		}
	}
	p.scenario(q, get("scenario_id"), get("scenario"), line, item)

	p.set.Questions = append(p.set.Questions, q)
	p.set.Lines = append(p.set.Lines, lines)
}

// extraCells warns, once per column, about data the header names no column
// for, so nothing in the file is dropped without a word.
func (p *parser) extraCells(row []string, line, item int) {
	for i, cell := range row {
		if strings.TrimSpace(cell) == "" {
			continue
		}
		warned, unnamed := p.unnamed[i]
		if !warned && p.extraWarned >= maxColumnWarnings {
			continue // enough said: the header row is the trouble
		}
		switch {
		case i >= p.width && !p.unnamed[i]:
			p.unnamed[i] = true
			p.extraWarned++
			warn(p.rep, line, item, "", "this row has a value in column %s, past the last column of the header row; values there are ignored", colLetter(i))
		case unnamed && !warned:
			p.unnamed[i] = true
			p.extraWarned++
			warn(p.rep, line, item, "", "column %s has no name in the header row, so its values are ignored", colLetter(i))
		}
	}
}

// scenario links a row to its shared case. The text may sit on any row of
// the scenario, so links are resolved after the last row.
func (p *parser) scenario(q *quiz.Question, id, text string, line, item int) {
	if p.scenarios == nil {
		p.scenarios = map[string]scenarioText{}
		p.autoScenario = map[string]string{}
	}
	switch {
	case id == "" && text == "":
		return
	case id == "":
		// A case without an id: rows with the same text share one.
		if p.autoScenario[text] == "" {
			p.autoScenario[text] = fmt.Sprintf("scenario-%d", len(p.autoScenario)+1)
		}
		q.ScenarioID = p.autoScenario[text]
		q.Scenario = text
		return
	}
	q.ScenarioID = id
	if text == "" {
		return
	}
	if prev, ok := p.scenarios[id]; ok && prev.text != text {
		problem(p.rep, line, item, "scenario", "scenario %q already has a different text on the row at line %d; give the text once, or the same text on every row", clip(id, 60), prev.line)
		return
	} else if !ok {
		p.scenarios[id] = scenarioText{text: text, line: line}
	}
}

// resolveScenarios gives every row of a scenario its text.
func (p *parser) resolveScenarios() {
	reported := map[string]bool{}
	for i, q := range p.set.Questions {
		if q.ScenarioID == "" || q.Scenario != "" {
			continue
		}
		if s, ok := p.scenarios[q.ScenarioID]; ok {
			q.Scenario = s.text
			continue
		}
		if !reported[q.ScenarioID] {
			reported[q.ScenarioID] = true
			problem(p.rep, q.Line, i+1, "scenario_id", "no row gives the text of scenario %q: fill its scenario cell on one of its rows", clip(q.ScenarioID, 60))
		}
	}
}

// number reads a number the way a spreadsheet writes it; a file delimited
// by semicolons comes from a locale with a decimal comma.
func (p *parser) number(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if p.delim == ';' && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// splitKeys reads "B", "A;C", "A, C" or "a c" as option letters.
func splitKeys(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	for i, f := range fields {
		fields[i] = strings.ToUpper(f)
	}
	return fields
}

// parseDomain accepts "4", "4.0" (a spreadsheet's number), "domain-4" and
// "Domain 4".
func parseDomain(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(s, "domain"); ok {
		s = strings.TrimLeft(rest, " -_")
	}
	s = strings.TrimSuffix(s, ".0")
	d, err := strconv.Atoi(s)
	if err != nil || d < 1 || d > 6 {
		return 0, false
	}
	return d, true
}

// parseBool accepts what spreadsheets write for a checkbox or a yes/no cell.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "1":
		return true, true
	case "false", "no", "n", "0":
		return false, true
	}
	return false, false
}

// normalizeTopic lets "Release of information" name release-of-information.
func normalizeTopic(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "-")
}

// columnName reduces a header cell to a template column name.
func columnName(cell string) string {
	s := strings.ToLower(strings.TrimSpace(cell))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "_")
}

// colLetter names column i as a spreadsheet does: A, B, ..., Z, AA.
func colLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// blank reports whether a row has no content: spreadsheets save rows of
// empty cells below the data.
func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// detectDelimiter picks the comma, semicolon or tab, whichever the header
// row (its first record, outside quotes) uses most; a comma on a tie.
func detectDelimiter(text []byte) rune {
	counts := map[byte]int{}
	quoted := false
	started := false
	for _, b := range text {
		if b == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if b == '\n' {
			if started {
				break
			}
			continue
		}
		if b != '\r' && b != ' ' {
			started = true
		}
		if b == ',' || b == ';' || b == '\t' {
			counts[b]++
		}
	}
	switch {
	case counts[';'] > counts[','] && counts[';'] >= counts['\t']:
		return ';'
	case counts['\t'] > counts[','] && counts['\t'] > counts[';']:
		return '\t'
	}
	return ','
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decodeText returns the file as UTF-8 with LF or CRLF line ends. Excel
// saves "Unicode Text" as UTF-16 and plain "CSV" in the Windows code page,
// so both are converted, with a warning, instead of garbling every accent.
func decodeText(data []byte, rep *bank.Report) []byte {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		data = data[len(bomUTF8):]
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		data = fromUTF16(data[2:], bytes.HasPrefix(data, bomUTF16BE))
		warn(rep, 1, 0, "", "the file is UTF-16 text; it was converted to UTF-8")
	}
	if !utf8.Valid(data) {
		data = fromWindows1252(data)
		warn(rep, 1, 0, "", "the file is not UTF-8 text; it was read as Windows-1252 (what Excel's plain \"CSV\" uses); check accented letters and symbols, or save the sheet as \"CSV UTF-8\"")
	}
	// Classic Mac files end lines with CR alone, which encoding/csv does not
	// split on.
	if bytes.IndexByte(data, '\r') >= 0 && bytes.IndexByte(data, '\n') < 0 {
		data = bytes.ReplaceAll(data, []byte{'\r'}, []byte{'\n'})
	}
	return data
}

func fromUTF16(b []byte, bigEndian bool) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(b))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// cp1252 maps bytes 0x80-0x9F; the rest of Windows-1252 is Latin-1.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func fromWindows1252(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, c := range b {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0:
			out = utf8.AppendRune(out, cp1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}

func problem(rep *bank.Report, line, item int, field, format string, args ...any) {
	rep.Problems = append(rep.Problems, quiz.Detail{Line: line, Item: item, Field: field, Message: fmt.Sprintf(format, args...)})
}

func warn(rep *bank.Report, line, item int, field, format string, args ...any) {
	rep.Warnings = append(rep.Warnings, quiz.Detail{Line: line, Item: item, Field: field, Message: fmt.Sprintf(format, args...)})
}

// clip shortens s for a message, at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
