package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a rhitprep process started for one load run.
type server struct {
	cmd *exec.Cmd
	dir string
	url string
}

// spawn starts bin on a fresh database, after importing a generated set of
// bankSize questions when asked, and waits until it listens.
func spawn(bin string, bankSize int) (*server, error) {
	dir, err := os.MkdirTemp("", "rhitload-")
	if err != nil {
		return nil, err
	}
	if bankSize > 0 {
		if err := importBank(bin, dir, bankSize); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dir+"/load.db")
	logFile, err := os.Create(dir + "/server.log")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		i := strings.Index(line, "http://")
		if i < 0 {
			cmd.Process.Kill()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("server said %q", line)
		}
		return &server{cmd: cmd, dir: dir, url: strings.TrimSpace(line[i:])}, nil
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("server did not start within a minute")
	}
}

// serverLog is what a spawned server wrote to its log during the run.
type serverLog struct {
	locked int      // lines reporting "database is locked"
	errors []string // lines logged at level ERROR
}

// stop reads the server's peak resident memory (KiB), stops it with
// SIGTERM, reads its log and removes its database.
func (s *server) stop() (int, serverLog, error) {
	defer os.RemoveAll(s.dir)
	rss, rerr := peakRSS(s.cmd.Process.Pid)
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	var log serverLog
	data, err := os.ReadFile(s.dir + "/server.log")
	if err != nil {
		return rss, log, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "database is locked") {
			log.locked++
		}
		if strings.Contains(line, "level=ERROR") {
			log.errors = append(log.errors, line)
		}
	}
	return rss, log, rerr
}

func peakRSS(pid int) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				return strconv.Atoi(f[1])
			}
		}
	}
	return 0, fmt.Errorf("no VmHWM for %d", pid)
}

// importBank writes a set of n well-formed questions, spread over topics
// and domains, and imports it with the server's own import command.
func importBank(bin, dir string, n int) error {
	topics := []string{"terminology", "coding", "regulations", "release-of-information", "statistics"}
	var b strings.Builder
	b.WriteString("set: Load test bank\nquestions:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `  - id: load-%06d
    topic: %s
    domain: %d
    stem: "Load test question %s: which option is keyed?"
    options: [{id: A, text: first}, {id: B, text: second}, {id: C, text: third}, {id: D, text: fourth}]
    answer: %c
    rationale: By construction.
    references: [load test]
`, i, topics[i%5], i%6+1, word(i), 'A'+rune(i%4))
	}
	file := dir + "/bank.yaml"
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		return err
	}
	t0 := time.Now()
	out, err := exec.Command(bin, "import", "--db", dir+"/load.db", file).CombinedOutput()
	if err != nil {
		return fmt.Errorf("import the load bank: %v: %s", err, out)
	}
	fmt.Fprintf(os.Stderr, "imported %d questions in %s\n", n, time.Since(t0).Round(time.Millisecond))
	return nil
}

// word spells n in letters: the bank's check ignores numbers when it looks
// for repeated stems, so each stem needs a word of its own.
func word(n int) string {
	b := []byte{}
	for {
		b = append(b, byte('a'+n%26))
		n /= 26
		if n == 0 {
			return string(b)
		}
	}
}
