package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rhitprep/rhitprep/internal/auth"
	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/config"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/sets"
	"github.com/rhitprep/rhitprep/internal/store"
)

func userCreate(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg config.Config
	var username, role string
	f := config.NewFlagSet("user create", getenv, stderr)
	cfg.Common(f)
	f.String(&username, "username", "RHITPREP_USERNAME", "", "the new account's name")
	f.String(&role, "role", "RHITPREP_ROLE", quiz.RoleLearner, "learner, instructor or admin")
	if err := f.Parse(args); err != nil {
		return err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	st, err := store.Open(ctx, cfg.DB, store.Options{Logger: slog.New(slog.NewTextHandler(stderr, nil))})
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := auth.NewService(st, time.Now, nil).CreateUser(ctx, username, password, role)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Username, u.ID)
	return nil
}

// userError spells out a domain error for the terminal.
func userError(err error) error {
	var qe *quiz.Error
	if !errors.As(err, &qe) {
		return err
	}
	msg := qe.Message
	for _, d := range qe.Details {
		msg += fmt.Sprintf("\n  %s: %s", d.Field, d.Message)
	}
	return errors.New(msg)
}

// validateArgs are the options validate and import share.
type validateArgs struct {
	format, topic string
	domain        int
}

func (v *validateArgs) flags(f *config.FlagSet) error {
	f.String(&v.format, "format", "RHITPREP_FORMAT", "", "file format ("+strings.Join(sets.Formats, ", ")+"); guessed from the name or content when empty")
	f.String(&v.topic, "topic", "RHITPREP_TOPIC", "", "topic for items that carry none")
	return f.Int(&v.domain, "domain", "RHITPREP_DOMAIN", 0, "RHIT domain (1-6) for items that carry none")
}

func validate(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var va validateArgs
	var shipped, stats bool
	f := config.NewFlagSet("validate", getenv, stderr)
	if err := va.flags(f); err != nil {
		return err
	}
	f.Bool(&shipped, "shipped", "RHITPREP_SHIPPED", "hold the files to the full rules of the shipped banks")
	f.Bool(&stats, "stats", "RHITPREP_STATS", "print counts by topic, domain, type, difficulty and key position")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return errors.New("usage: rhitprep validate [flags] FILE|DIR...")
	}
	bad := false
	var all []*quiz.Question
	for _, arg := range f.Args() {
		if info, err := os.Stat(arg); err == nil && info.IsDir() {
			// A questions folder: the shipped banks and the blueprint.
			fsys := os.DirFS(arg)
			if _, err := loadBlueprint(fsys); err != nil {
				fmt.Fprintf(stdout, "%s: %v\n", filepath.Join(arg, "blueprint.yaml"), err)
				bad = true
			}
			banks, problems, err := bank.LoadShipped(fsys)
			if err != nil {
				return err
			}
			for _, p := range problems {
				p.File = filepath.Join(arg, p.File)
				fmt.Fprintln(stdout, p)
				bad = true
			}
			for _, b := range banks {
				all = append(all, b.Set.Questions...)
			}
			continue
		}
		data, err := os.ReadFile(arg)
		if err != nil {
			return err
		}
		opt := bank.Options{Topic: va.topic, Domain: va.domain, Shipped: shipped}
		if shipped && opt.Topic == "" {
			opt.Topic = strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))
		}
		set, rep, _, err := sets.Parse(va.format, arg, data, opt)
		if err != nil {
			return userError(err)
		}
		for _, p := range rep.Problems {
			fmt.Fprintln(stdout, bank.FileProblem{File: arg, Detail: p})
			bad = true
		}
		for _, w := range rep.Warnings {
			w.Message = "warning: " + w.Message
			fmt.Fprintln(stdout, bank.FileProblem{File: arg, Detail: w})
		}
		if set != nil {
			all = append(all, set.Questions...)
		}
	}
	if stats {
		printStats(stdout, all)
	}
	if bad {
		return errReported
	}
	return nil
}

// printStats summarises questions the way an editor checks a bank's shape.
func printStats(w io.Writer, qs []*quiz.Question) {
	count := func(title string, key func(*quiz.Question) string) {
		m := map[string]int{}
		for _, q := range qs {
			if k := key(q); k != "" {
				m[k]++
			}
		}
		keys := make([]string, 0, len(m))
		total := 0
		for k, n := range m {
			keys = append(keys, k)
			total += n
		}
		sort.Strings(keys)
		fmt.Fprintf(w, "%s (of %d):\n", title, total)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-58s %5d  %5.1f%%\n", k, m[k], 100*float64(m[k])/float64(max(1, total)))
		}
	}
	fmt.Fprintf(w, "items: %d\n", len(qs))
	count("by topic", func(q *quiz.Question) string { return q.Topic })
	count("by domain", func(q *quiz.Question) string { return fmt.Sprintf("%d %s", q.Domain, quiz.DomainName(q.Domain)) })
	count("by type", func(q *quiz.Question) string { return q.Type })
	count("by difficulty", func(q *quiz.Question) string { return q.Difficulty })
	count("by cognitive level", func(q *quiz.Question) string { return q.Cognitive })
	count("key position (single)", func(q *quiz.Question) string {
		if q.Type != quiz.Single || len(q.Answer) != 1 {
			return ""
		}
		for i, o := range q.Options {
			if o.ID == q.Answer[0] {
				return fmt.Sprintf("position %d", i+1)
			}
		}
		return ""
	})
	count("review", func(q *quiz.Question) string { return q.Review.Status })
	scen := map[string]bool{}
	for _, q := range qs {
		if q.ScenarioID != "" {
			scen[q.Topic+"/"+q.ScenarioID] = true
		}
	}
	fmt.Fprintf(w, "scenario sets: %d\n", len(scen))
}

func importSet(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config.Config
	var va validateArgs
	var name string
	f := config.NewFlagSet("import", getenv, stderr)
	cfg.Common(f)
	if err := va.flags(f); err != nil {
		return err
	}
	f.String(&name, "name", "RHITPREP_NAME", "", "the set's name; else the file name")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return errors.New("usage: rhitprep import [flags] FILE")
	}
	file := f.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DB, store.Options{Logger: slog.New(slog.NewTextHandler(stderr, nil))})
	if err != nil {
		return err
	}
	defer st.Close()
	out, err := sets.NewManager(st, nil).Import(ctx, sets.Upload{Data: data, Filename: filepath.Base(file),
		Format: va.format, Name: name, Topic: va.topic, Domain: va.domain})
	if err != nil {
		if printDetails(stdout, file, err) {
			return errReported
		}
		return userError(err)
	}
	for _, w := range out.Warnings {
		w.Message = "warning: " + w.Message
		fmt.Fprintln(stdout, bank.FileProblem{File: file, Detail: w})
	}
	fmt.Fprintf(stdout, "imported %q version %d: %d questions (set %s)\n", out.Set.Name, out.Set.Version, out.Set.Questions, out.Set.ID)
	return nil
}
