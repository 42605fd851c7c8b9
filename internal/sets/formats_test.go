package sets

import "testing"

func TestGuessFormat(t *testing.T) {
	tests := []struct {
		name, file, data, want string
	}{
		{"yaml by name", "bank.yml", "anything", "yaml"},
		{"json by name", "bank.json", "[]", "json"},
		{"csv by name", "bank.csv", "x", "csv"},
		{"gift by name", "week.gift", "x", "gift"},
		{"zip by name", "pkg.zip", "x", "qti"},
		{"moodle by content of .xml", "q.xml", `<?xml version="1.0"?><quiz><question type="category">`, "moodlexml"},
		{"qti by content of .xml", "q.xml", `<?xml version="1.0"?><assessmentItem>`, "qti"},
		{"zip by magic", "", "PK\x03\x04rest", "qti"},
		{"json by content", "", `  {"questions": []}`, "json"},
		{"aiken by content", "", "What is 2+2?\nA. 3\nB. 4\nANSWER: B\n", "aiken"},
		{"gift by content", "", "::Q1:: What is 2+2? {=4 ~3}\n", "gift"},
		{"gift category", "", "$CATEGORY: coding\n\nWhat? {T}\n", "gift"},
		{"csv by header", "", "id,stem,option_a,option_b,answer\n", "csv"},
		{"yaml otherwise", "", "set: x\nquestions: []\n", "yaml"},
	}
	for _, tt := range tests {
		if got := GuessFormat(tt.file, []byte(tt.data)); got != tt.want {
			t.Errorf("%s: GuessFormat(%q) = %q, want %q", tt.name, tt.file, got, tt.want)
		}
	}
}
