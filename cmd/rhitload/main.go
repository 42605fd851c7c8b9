// Command rhitload simulates candidates against a running rhitprep server:
// it registers them, starts exams, saves answers (as fast as the
// connections allow, or at a constant rate free of coordinated omission),
// and submits; and it measures GET /healthz the same way in the same run,
// so every figure can be read as a ratio to the framework's own ceiling on
// the machine at hand.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rhitload:", err)
		os.Exit(1)
	}
}

type config struct {
	url       string
	users     int
	conns     int
	duration  time.Duration
	rate      int
	scenario  string
	mode      string
	quizItems int
	jsonOut   bool
	maxErrors int
	spawn     string
	bank      int
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("rhitload", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "server base URL (a loopback address); several, comma-separated, share the load in turn")
	fs.IntVar(&c.users, "users", 256, "candidates to register, each with an exam in progress")
	fs.IntVar(&c.conns, "conns", 256, "concurrent connections (closed loop) or the most requests in flight (constant rate)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each measured phase runs")
	fs.IntVar(&c.rate, "rate", 1000, "requests per second in constant-rate mode")
	fs.StringVar(&c.scenario, "scenario", "save", "save (answer saves), start (mock exam starts) or exam (start, answer every item, submit)")
	fs.StringVar(&c.mode, "mode", "closed", "closed (each connection sends as fast as answers come back) or rate (a fixed schedule)")
	fs.IntVar(&c.quizItems, "items", 50, "items per exam in the save scenario")
	fs.BoolVar(&c.jsonOut, "json", false, "print the results as JSON")
	fs.IntVar(&c.maxErrors, "max-errors", 0, "exit with an error when more requests than this fail")
	fs.StringVar(&c.spawn, "spawn", "", "start this rhitprep binary on a fresh database in a temporary folder, load it, stop it, and report its peak memory and what it logged (any \"database is locked\" or error fails the run)")
	fs.IntVar(&c.bank, "bank", 0, "with -spawn: first import a generated set of this many questions, spread over the six domains")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.spawn != "" {
		srv, err := spawn(c.spawn, c.bank)
		if err != nil {
			return err
		}
		c.url = srv.url
		err = load(ctx, c, out)
		rss, log, serr := srv.stop()
		if serr != nil {
			return errors.Join(err, fmt.Errorf("read the server's memory and log: %w", serr))
		}
		fmt.Fprintf(out, "server peak RSS: %.1f MiB\n", float64(rss)/1024)
		fmt.Fprintf(out, "server log: %d \"database is locked\", %d errors\n", log.locked, len(log.errors))
		for i, line := range log.errors {
			if i == 5 {
				fmt.Fprintf(out, "  … and %d more\n", len(log.errors)-i)
				break
			}
			fmt.Fprintln(out, " ", line)
		}
		if log.locked > 0 || len(log.errors) > 0 {
			err = errors.Join(err, errors.New("the server logged errors"))
		}
		return err
	}
	return load(ctx, c, out)
}

// load runs the scenario against c.url and reports it.
func load(ctx context.Context, c config, out io.Writer) error {
	var bases []string
	for _, u := range strings.Split(c.url, ",") {
		if !loopback(u) {
			return fmt.Errorf("refusing %s: rhitload only targets servers on this machine (127.0.0.0/8, localhost, [::1])", u)
		}
		bases = append(bases, strings.TrimRight(u, "/"))
	}
	cl := &client{bases: bases, hc: &fasthttp.Client{
		MaxConnsPerHost: c.conns + 16, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		MaxIdemponentCallAttempts: 1,
	}}
	if _, _, err := cl.do("GET", "/healthz", "", nil); err != nil {
		return fmt.Errorf("server not reachable at %s: %w", c.url, err)
	}

	fmt.Fprintf(out, "setting up %d candidates...\n", c.users)
	cands, err := setup(ctx, cl, c)
	if err != nil {
		return err
	}
	var results []*stats
	health := measure(ctx, c, "GET /healthz", func(rng *rand.Rand) error {
		_, _, err := cl.do("GET", "/healthz", "", nil)
		return err
	})
	results = append(results, health)
	switch c.scenario {
	case "save":
		results = append(results, measure(ctx, c, "PUT /exams/{id}/items/{n}", func(rng *rand.Rand) error {
			return cands[rng.IntN(len(cands))].save(cl, rng)
		}))
	case "start":
		results = append(results, measure(ctx, c, "POST /exams (mock)", func(rng *rand.Rand) error {
			cd := cands[rng.IntN(len(cands))]
			_, _, err := cl.do("POST", "/api/v1/exams", cd.token, map[string]any{"mode": "mock"})
			return err
		}))
	case "exam":
		results = append(results, examLoop(ctx, cl, c, cands)...)
	default:
		return fmt.Errorf("unknown scenario %q", c.scenario)
	}
	report(out, c, results)
	failed := 0
	for _, r := range results {
		failed += int(r.errors.Load())
	}
	if failed > c.maxErrors {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

// loopback keeps the tool to servers on this machine.
func loopback(u string) bool {
	for _, p := range []string{"http://127.", "http://localhost:", "http://localhost/", "http://[::1]"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}

type client struct {
	bases []string // requests go to each in turn
	next  atomic.Uint64
	hc    *fasthttp.Client
}

var errStatus = errors.New("unexpected status")

// do sends a JSON request and decodes a JSON answer; a status outside 2xx
// is an error.
func (c *client) do(method, path, token string, body any) (int, map[string]any, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(c.bases[c.next.Add(1)%uint64(len(c.bases))] + path)
	req.Header.SetMethod(method)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		req.Header.SetContentType("application/json")
		req.SetBody(b)
	}
	if err := c.hc.Do(req, resp); err != nil {
		return 0, nil, err
	}
	status := resp.StatusCode()
	var m map[string]any
	if len(resp.Body()) > 0 && resp.Body()[0] == '{' {
		json.Unmarshal(resp.Body(), &m)
	}
	if status < 200 || status > 299 {
		return status, m, fmt.Errorf("%w %d: %s", errStatus, status, truncate(resp.Body()))
	}
	return status, m, nil
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// candidate is one simulated learner with an exam in progress.
type candidate struct {
	token string
	exam  string
	items []item
}

type item struct {
	options []string
	numeric bool
}

func (cd *candidate) save(cl *client, rng *rand.Rand) error {
	pos := rng.IntN(len(cd.items))
	it := cd.items[pos]
	var resp any
	if it.numeric {
		resp = rng.Float64() * 100
	} else {
		resp = []string{it.options[rng.IntN(len(it.options))]}
	}
	_, _, err := cl.do("PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", cd.exam, pos+1), cd.token, map[string]any{"response": resp})
	return err
}

func startExam(cl *client, token string, body map[string]any) (*candidate, error) {
	_, view, err := cl.do("POST", "/api/v1/exams", token, body)
	if err != nil {
		return nil, err
	}
	cd := &candidate{token: token, exam: view["id"].(string)}
	for _, raw := range view["items"].([]any) {
		m := raw.(map[string]any)
		it := item{numeric: m["type"] == "numeric"}
		if opts, ok := m["options"].([]any); ok {
			for _, o := range opts {
				it.options = append(it.options, o.(map[string]any)["id"].(string))
			}
			// A select-N item takes up to N: one option is always valid.
		}
		cd.items = append(cd.items, it)
	}
	return cd, nil
}

// setup registers and signs in the candidates, each with an exam started,
// eight at a time (password hashing is deliberately slow).
func setup(ctx context.Context, cl *client, c config) ([]*candidate, error) {
	run := fmt.Sprintf("%x", time.Now().UnixNano()&0xffffff)
	cands := make([]*candidate, c.users)
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range cands {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			name := fmt.Sprintf("load-%s-%05d", run, i)
			cred := map[string]string{"username": name, "password": "load-test-password"}
			var err error
			defer func() {
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}()
			if _, _, err = cl.do("POST", "/api/v1/auth/register", "", cred); err != nil {
				return
			}
			var login map[string]any
			if _, login, err = cl.do("POST", "/api/v1/auth/login", "", cred); err != nil {
				return
			}
			cands[i], err = startExam(cl, login["token"].(string), map[string]any{"mode": "quiz", "count": c.quizItems, "feedback": "deferred"})
		}(i)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("setup: %w", firstErr)
	}
	return cands, ctx.Err()
}

// stats collects latencies and errors of one kind of request.
type stats struct {
	name    string
	mu      sync.Mutex
	lat     []time.Duration
	errors  atomic.Int64
	elapsed time.Duration
	sample  string
}

func (s *stats) add(d time.Duration, err error) {
	if err != nil {
		s.errors.Add(1)
		s.mu.Lock()
		if s.sample == "" {
			s.sample = err.Error()
		}
		s.mu.Unlock()
		return
	}
	s.mu.Lock()
	s.lat = append(s.lat, d)
	s.mu.Unlock()
}

// measure runs op for the configured duration, closed loop or at a
// constant rate. In constant-rate mode each request has an intended start
// time on a fixed schedule and its latency counts from then, so a stalled
// server cannot hide its stall by slowing the load down.
func measure(ctx context.Context, c config, name string, op func(*rand.Rand) error) *stats {
	fmt.Fprintf(os.Stderr, "measuring %s for %s\n", name, c.duration)
	s := &stats{name: name}
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	if c.mode == "rate" {
		interval := time.Second / time.Duration(max(1, c.rate))
		inflight := make(chan struct{}, c.conns)
		for i := 0; ; i++ {
			intended := start.Add(time.Duration(i) * interval)
			if wait := time.Until(intended); wait > 0 {
				select {
				case <-ctx.Done():
				case <-time.After(wait):
				}
			}
			if ctx.Err() != nil {
				break
			}
			inflight <- struct{}{}
			wg.Add(1)
			go func(i int, intended time.Time) {
				defer wg.Done()
				defer func() { <-inflight }()
				rng := rand.New(rand.NewPCG(uint64(i), 7))
				err := op(rng)
				s.add(time.Since(intended), err)
			}(i, intended)
		}
	} else {
		for w := 0; w < c.conns; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 11))
				for ctx.Err() == nil {
					t0 := time.Now()
					err := op(rng)
					if ctx.Err() != nil && err != nil {
						return // cut off by the end of the phase
					}
					s.add(time.Since(t0), err)
				}
			}(w)
		}
	}
	wg.Wait()
	s.elapsed = time.Since(start)
	return s
}

// examLoop has each connection play whole exams: start a mock exam, answer
// every item, submit. It reports each endpoint separately.
func examLoop(ctx context.Context, cl *client, c config, cands []*candidate) []*stats {
	startS, saveS, submitS := &stats{name: "POST /exams (mock)"}, &stats{name: "PUT /exams/{id}/items/{n}"}, &stats{name: "POST /exams/{id}/submit"}
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	t0 := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < min(c.conns, len(cands)); w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 13))
			token := cands[w].token
			for ctx.Err() == nil {
				t := time.Now()
				cd, err := startExam(cl, token, map[string]any{"mode": "mock"})
				startS.add(time.Since(t), err)
				if err != nil {
					continue
				}
				for pos := range cd.items {
					if ctx.Err() != nil {
						return
					}
					it := cd.items[pos]
					var resp any = 1.0
					if !it.numeric {
						resp = []string{it.options[rng.IntN(len(it.options))]}
					}
					t := time.Now()
					_, _, err := cl.do("PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", cd.exam, pos+1), token, map[string]any{"response": resp})
					saveS.add(time.Since(t), err)
				}
				t = time.Now()
				_, _, err = cl.do("POST", "/api/v1/exams/"+cd.exam+"/submit", token, nil)
				submitS.add(time.Since(t), err)
			}
		}(w)
	}
	wg.Wait()
	for _, s := range []*stats{startS, saveS, submitS} {
		s.elapsed = time.Since(t0)
	}
	return []*stats{startS, saveS, submitS}
}

type row struct {
	Endpoint   string  `json:"endpoint"`
	Requests   int     `json:"requests"`
	Errors     int64   `json:"errors"`
	PerSecond  float64 `json:"per_second"`
	P50ms      float64 `json:"p50_ms"`
	P90ms      float64 `json:"p90_ms"`
	P99ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	RatioToHzz float64 `json:"ratio_to_healthz"`
	FirstError string  `json:"first_error,omitempty"`
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return float64(sorted[i].Microseconds()) / 1000
}

func report(out io.Writer, c config, results []*stats) {
	rows := make([]row, len(results))
	for i, s := range results {
		sort.Slice(s.lat, func(a, b int) bool { return s.lat[a] < s.lat[b] })
		r := row{Endpoint: s.name, Requests: len(s.lat), Errors: s.errors.Load(),
			PerSecond: float64(len(s.lat)) / s.elapsed.Seconds(), P50ms: percentile(s.lat, 0.50),
			P90ms: percentile(s.lat, 0.90), P99ms: percentile(s.lat, 0.99), FirstError: s.sample}
		if len(s.lat) > 0 {
			r.MaxMs = float64(s.lat[len(s.lat)-1].Microseconds()) / 1000
		}
		rows[i] = r
	}
	for i := range rows {
		if rows[0].PerSecond > 0 {
			rows[i].RatioToHzz = rows[i].PerSecond / rows[0].PerSecond
		}
	}
	if c.jsonOut {
		json.NewEncoder(out).Encode(map[string]any{"mode": c.mode, "conns": c.conns, "rate": c.rate,
			"duration_s": c.duration.Seconds(), "scenario": c.scenario, "results": rows})
		return
	}
	fmt.Fprintf(out, "scenario %s, mode %s, %d connections", c.scenario, c.mode, c.conns)
	if c.mode == "rate" {
		fmt.Fprintf(out, ", %d requests/s scheduled", c.rate)
	}
	fmt.Fprintf(out, ", %s per phase\n", c.duration)
	fmt.Fprintf(out, "%-28s %9s %7s %10s %8s %8s %8s %8s %7s\n", "endpoint", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "ratio")
	for _, r := range rows {
		fmt.Fprintf(out, "%-28s %9d %7d %10.0f %8.2f %8.2f %8.2f %8.2f %7.3f\n", r.Endpoint, r.Requests, r.Errors,
			r.PerSecond, r.P50ms, r.P90ms, r.P99ms, r.MaxMs, r.RatioToHzz)
		if r.FirstError != "" {
			fmt.Fprintf(out, "  first error: %s\n", r.FirstError)
		}
	}
}
