package sets

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/bank/aiken"
	bankcsv "github.com/rhitprep/rhitprep/internal/bank/csv"
	"github.com/rhitprep/rhitprep/internal/bank/gift"
	"github.com/rhitprep/rhitprep/internal/bank/moodlexml"
	"github.com/rhitprep/rhitprep/internal/bank/qti"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Parser reads one format into a checked set; every format package
// provides one.
type Parser func(data []byte, opt bank.Options) (*bank.Set, bank.Report)

// parsers are the formats rhitprep reads, by the name the API uses.
var parsers = map[string]Parser{
	"yaml":      bank.ParseNative,
	"json":      bank.ParseNative,
	"csv":       bankcsv.Parse,
	"gift":      gift.Parse,
	"aiken":     aiken.Parse,
	"moodlexml": moodlexml.Parse,
	"qti":       qti.Parse,
}

// Formats lists the formats rhitprep reads.
var Formats = []string{"yaml", "json", "csv", "gift", "aiken", "moodlexml", "qti"}

var (
	aikenAnswer = regexp.MustCompile(`(?m)^\s*ANSWER\s*:\s*[A-Za-z]`)
	giftMarks   = regexp.MustCompile(`(?m)(^\s*::.+::)|(\{\s*[=~#])|(^\s*\$CATEGORY:)|(\{\s*(T|F|TRUE|FALSE)\s*\})`)
)

// GuessFormat picks a format from the file name, then from the content.
func GuessFormat(filename string, data []byte) string {
	switch strings.ToLower(path.Ext(filename)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".csv", ".tsv":
		return "csv"
	case ".gift":
		return "gift"
	case ".zip", ".imscc":
		return "qti"
	case ".xml":
		return xmlFormat(data)
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "qti"
	case bytes.HasPrefix(trimmed, []byte("<")):
		return xmlFormat(data)
	case bytes.HasPrefix(trimmed, []byte("{")):
		return "json"
	case aikenAnswer.Match(data):
		return "aiken"
	case giftMarks.Match(data):
		return "gift"
	}
	first, _, _ := bytes.Cut(trimmed, []byte("\n"))
	if low := strings.ToLower(string(first)); strings.Contains(low, "stem") && (strings.Contains(low, ",") || strings.Contains(low, ";")) {
		return "csv"
	}
	return "yaml"
}

func xmlFormat(data []byte) string {
	head := data[:min(len(data), 4096)]
	if bytes.Contains(head, []byte("<quiz")) {
		return "moodlexml"
	}
	return "qti"
}

// Parse reads data in format (guessed when empty) and checks it. It
// returns the format it used.
func Parse(format, filename string, data []byte, opt bank.Options) (*bank.Set, bank.Report, string, error) {
	format = strings.ToLower(strings.TrimSpace(format))
	if format == "" {
		format = GuessFormat(filename, data)
	}
	parse, ok := parsers[format]
	if !ok {
		return nil, bank.Report{}, format, quiz.Errorf(quiz.EINVALID, "Unknown format %q: use one of %s.", format, strings.Join(Formats, ", "))
	}
	set, rep := parse(data, opt)
	return set, rep, format, nil
}

// Export writes a set in an export format: the native YAML or GIFT.
func Export(format string, set *bank.Set) ([]byte, string, error) {
	switch format {
	case "", "yaml":
		b, err := bank.WriteNative(set)
		return b, "application/yaml; charset=utf-8", err
	case "gift":
		b, err := gift.Write(set)
		if err != nil {
			return nil, "", quiz.Errorf(quiz.EINVALID, "This set cannot be written as GIFT: %v.", err)
		}
		return b, "text/plain; charset=utf-8", nil
	}
	return nil, "", quiz.Errorf(quiz.EINVALID, "Export format %q is not supported: use yaml or gift.", format)
}
