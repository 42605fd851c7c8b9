package bank

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Shipped is one bank from questions/banks, parsed and checked.
type Shipped struct {
	File string
	Set  *Set
	Hash string
}

// FileProblem is a problem in a named file.
type FileProblem struct {
	File string
	quiz.Detail
}

func (p FileProblem) String() string {
	field := p.Field
	if field == "" {
		field = "file"
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, field, p.Message)
}

// LoadShipped reads every banks/*.yaml in fsys under the full rules of the
// shipped banks: the file's name is the topic of all its items. It returns
// every problem of every file.
func LoadShipped(fsys fs.FS) ([]Shipped, []FileProblem, error) {
	names, err := fs.Glob(fsys, "banks/*.yaml")
	if err != nil {
		return nil, nil, fmt.Errorf("load shipped banks: %w", err)
	}
	sort.Strings(names)
	var out []Shipped
	var problems []FileProblem
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("load shipped banks: %w", err)
		}
		topic := strings.TrimSuffix(path.Base(name), ".yaml")
		set, rep := ParseNative(data, Options{Topic: topic, Shipped: true})
		for _, p := range rep.Problems {
			problems = append(problems, FileProblem{File: name, Detail: p})
		}
		if set != nil && rep.OK() {
			if set.Name == "" {
				problems = append(problems, FileProblem{File: name, Detail: quiz.Detail{Line: 1, Field: "set", Message: "a shipped bank needs a set name"}})
				continue
			}
			out = append(out, Shipped{File: name, Set: set, Hash: Hash(data)})
		}
	}
	return out, problems, nil
}

// Hash is the content hash that tells whether a file was imported before.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
