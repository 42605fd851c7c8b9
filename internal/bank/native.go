// Package bank reads question sets into rhitprep's one question model and
// checks them: every problem is reported with its line, item and field, not
// just the first. It knows nothing of storage or HTTP.
package bank

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Set is a parsed question set, ready to check and store.
type Set struct {
	Name        string
	Description string
	Format      string
	Questions   []*quiz.Question
	// Lines holds, per question, the line of each field in the source
	// file, so problems point at the field and not only at the item.
	// Formats without per-field lines leave it nil.
	Lines []map[string]int
}

// line returns where field of question i is, else where the question is.
func (s *Set) line(i int, field string) int {
	if i < len(s.Lines) {
		if l, ok := s.Lines[i][field]; ok {
			return l
		}
	}
	return s.Questions[i].Line
}

// Options say how a file is read: topic and domain for items that carry
// none, and whether the full rules for the shipped banks apply.
type Options struct {
	Topic   string
	Domain  int
	Shipped bool
}

// Report holds what a parse and check found. Problems stop an import;
// warnings are shown and the import goes ahead.
type Report struct {
	Problems []quiz.Detail
	Warnings []quiz.Detail
}

// OK reports whether nothing stops the import.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) problem(line, item int, field, format string, args ...any) {
	r.Problems = append(r.Problems, quiz.Detail{Line: line, Item: item, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (r *Report) warn(line, item int, field, format string, args ...any) {
	r.Warnings = append(r.Warnings, quiz.Detail{Line: line, Item: item, Field: field, Message: fmt.Sprintf(format, args...)})
}

// ParseNative reads the native format (YAML, or JSON with the same fields)
// and checks the result. The set is nil only when the file cannot be read
// as a set at all.
func ParseNative(data []byte, opt Options) (*Set, Report) {
	var rep Report
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		rep.problem(yamlErrorLine(err), 0, "", "the file is not valid YAML or JSON: %s", yamlErrorText(err))
		return nil, rep
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		rep.problem(1, 0, "", "the file must be a mapping with a questions list")
		return nil, rep
	}
	root := doc.Content[0]
	set := &Set{Format: "yaml"}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		set.Format = "json"
	}
	scenarios := map[string]string{}
	var questions *yaml.Node
	for _, kv := range pairs(root) {
		k, v := kv[0], kv[1]
		switch k.Value {
		case "set":
			set.Name = scalar(&rep, v, 0, "set")
		case "description":
			set.Description = scalar(&rep, v, 0, "description")
		case "scenarios":
			if v.Kind != yaml.SequenceNode {
				rep.problem(v.Line, 0, "scenarios", "must be a list")
				continue
			}
			for _, sc := range v.Content {
				id, text := "", ""
				if sc.Kind != yaml.MappingNode {
					rep.problem(sc.Line, 0, "scenarios", "each scenario must be a mapping with id and text")
					continue
				}
				for _, p := range pairs(sc) {
					switch p[0].Value {
					case "id":
						id = scalar(&rep, p[1], 0, "scenarios.id")
					case "text":
						text = scalar(&rep, p[1], 0, "scenarios.text")
					default:
						rep.problem(p[0].Line, 0, "scenarios."+p[0].Value, "unknown field")
					}
				}
				switch {
				case id == "" || strings.TrimSpace(text) == "":
					rep.problem(sc.Line, 0, "scenarios", "a scenario needs an id and a text")
				case scenarios[id] != "":
					rep.problem(sc.Line, 0, "scenarios.id", "scenario id %q is used twice", id)
				default:
					scenarios[id] = strings.TrimSpace(text)
				}
			}
		case "questions":
			questions = v
		default:
			rep.problem(k.Line, 0, k.Value, "unknown field")
		}
	}
	if questions == nil || questions.Kind != yaml.SequenceNode {
		rep.problem(root.Line, 0, "questions", "a list of questions is required")
		return set, rep
	}
	for i, n := range questions.Content {
		if q, lines := parseQuestion(&rep, n, i+1, scenarios); q != nil {
			set.Questions = append(set.Questions, q)
			set.Lines = append(set.Lines, lines)
		}
	}
	Check(set, opt, &rep)
	return set, rep
}

// parseQuestion reads one item mapping. Type errors are problems; the rules
// that do not depend on the format are left to Check.
func parseQuestion(rep *Report, n *yaml.Node, item int, scenarios map[string]string) (*quiz.Question, map[string]int) {
	if n.Kind != yaml.MappingNode {
		rep.problem(n.Line, item, "", "each question must be a mapping")
		return nil, nil
	}
	q := &quiz.Question{Line: n.Line}
	lines := map[string]int{}
	var answer *yaml.Node
	for _, kv := range pairs(n) {
		k, v := kv[0], kv[1]
		lines[k.Value] = k.Line
		switch k.Value {
		case "id":
			q.ID = scalar(rep, v, item, "id")
		case "topic":
			q.Topic = scalar(rep, v, item, "topic")
		case "domain":
			s := scalar(rep, v, item, "domain")
			d, err := strconv.Atoi(s)
			if err != nil || d < 1 || d > 6 {
				rep.problem(v.Line, item, "domain", "must be an RHIT domain from 1 to 6, not %q", s)
			} else {
				q.Domain = d
			}
		case "subtopic":
			q.Subtopic = scalar(rep, v, item, "subtopic")
		case "difficulty":
			q.Difficulty = scalar(rep, v, item, "difficulty")
		case "cognitive":
			q.Cognitive = scalar(rep, v, item, "cognitive")
		case "type":
			q.Type = scalar(rep, v, item, "type")
		case "scenario":
			q.ScenarioID = scalar(rep, v, item, "scenario")
			if text, ok := scenarios[q.ScenarioID]; ok {
				q.Scenario = text
			} else {
				rep.problem(v.Line, item, "scenario", "no scenario with id %q in this file", q.ScenarioID)
			}
		case "stem":
			q.Stem = strings.TrimSpace(scalar(rep, v, item, "stem"))
		case "options":
			q.Options = parseOptions(rep, v, item)
		case "answer":
			answer = v
		case "tolerance":
			q.Tolerance = number(rep, v, item, "tolerance")
		case "partial_credit":
			q.PartialCredit = boolean(rep, v, item, "partial_credit")
		case "rationale":
			q.Rationale = strings.TrimSpace(scalar(rep, v, item, "rationale"))
		case "references":
			switch v.Kind {
			case yaml.ScalarNode:
				q.References = []string{v.Value}
			case yaml.SequenceNode:
				for _, r := range v.Content {
					q.References = append(q.References, scalar(rep, r, item, "references"))
				}
			default:
				rep.problem(v.Line, item, "references", "must be a list of strings")
			}
		case "review":
			if v.Kind != yaml.MappingNode {
				rep.problem(v.Line, item, "review", "must be a mapping with status, by, date and note")
				continue
			}
			for _, p := range pairs(v) {
				val := scalar(rep, p[1], item, "review."+p[0].Value)
				switch p[0].Value {
				case "status":
					q.Review.Status = val
				case "by":
					q.Review.By = val
				case "date":
					q.Review.Date = val
				case "note":
					q.Review.Note = val
				default:
					rep.problem(p[0].Line, item, "review."+p[0].Value, "unknown field")
				}
			}
		default:
			rep.problem(k.Line, item, k.Value, "unknown field")
		}
	}
	if q.Type == "" {
		q.Type = quiz.Single
	}
	if answer == nil {
		return q, lines
	}
	if q.Type == quiz.Numeric {
		q.Value = number(rep, answer, item, "answer")
		q.Answer = nil
		return q, lines
	}
	switch answer.Kind {
	case yaml.ScalarNode:
		q.Answer = []string{strings.ToUpper(strings.TrimSpace(answer.Value))}
	case yaml.SequenceNode:
		q.Answer = []string{}
		for _, a := range answer.Content {
			q.Answer = append(q.Answer, strings.ToUpper(strings.TrimSpace(scalar(rep, a, item, "answer"))))
		}
	default:
		rep.problem(answer.Line, item, "answer", "must be an option id or a list of option ids")
	}
	return q, lines
}

func parseOptions(rep *Report, v *yaml.Node, item int) []quiz.Option {
	if v.Kind != yaml.SequenceNode {
		rep.problem(v.Line, item, "options", "must be a list of {id, text}")
		return nil
	}
	opts := []quiz.Option{}
	for _, o := range v.Content {
		if o.Kind != yaml.MappingNode {
			rep.problem(o.Line, item, "options", "each option must be a mapping with id and text")
			continue
		}
		var opt quiz.Option
		for _, p := range pairs(o) {
			switch p[0].Value {
			case "id":
				opt.ID = strings.ToUpper(strings.TrimSpace(scalar(rep, p[1], item, "options.id")))
			case "text":
				opt.Text = strings.TrimSpace(scalar(rep, p[1], item, "options.text"))
			case "pinned":
				opt.Pinned = boolean(rep, p[1], item, "options.pinned")
			default:
				rep.problem(p[0].Line, item, "options."+p[0].Value, "unknown field")
			}
		}
		opts = append(opts, opt)
	}
	return opts
}

// pairs returns a mapping node's key/value pairs.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	out := make([][2]*yaml.Node, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	return out
}

func scalar(rep *Report, n *yaml.Node, item int, field string) string {
	if n.Kind != yaml.ScalarNode {
		rep.problem(n.Line, item, field, "must be a single value")
		return ""
	}
	return n.Value
}

func number(rep *Report, n *yaml.Node, item int, field string) float64 {
	s := scalar(rep, n, item, field)
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		rep.problem(n.Line, item, field, "must be a number, not %q", s)
		return 0
	}
	return f
}

func boolean(rep *Report, n *yaml.Node, item int, field string) bool {
	s := scalar(rep, n, item, field)
	b, err := strconv.ParseBool(s)
	if err != nil {
		rep.problem(n.Line, item, field, "must be true or false, not %q", s)
	}
	return b
}

// yamlErrorLine digs the line out of a yaml.v3 error ("yaml: line 12: …").
func yamlErrorLine(err error) int {
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		var line int
		if _, e := fmt.Sscanf(s[i:], "line %d", &line); e == nil {
			return line
		}
	}
	return 1
}

func yamlErrorText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, "line ") {
		s = s[i+2:]
	}
	return s
}
