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

// spawn starts bin on a fresh database and waits until it listens.
func spawn(bin string) (*server, error) {
	dir, err := os.MkdirTemp("", "rhitload-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dir+"/load.db")
	cmd.Stderr = nil
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

// stop reads the server's peak resident memory (KiB), stops it with
// SIGTERM and removes its database.
func (s *server) stop() (int, error) {
	defer os.RemoveAll(s.dir)
	rss, rerr := peakRSS(s.cmd.Process.Pid)
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
	}
	return rss, rerr
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
