package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only with --pprof, on its own address
	"os"
	"runtime/debug"
	"time"

	"github.com/rhitprep/rhitprep/internal/auth"
	"github.com/rhitprep/rhitprep/internal/blueprint"
	"github.com/rhitprep/rhitprep/internal/config"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/reports"
	"github.com/rhitprep/rhitprep/internal/server"
	"github.com/rhitprep/rhitprep/internal/sets"
	"github.com/rhitprep/rhitprep/internal/statgen"
	"github.com/rhitprep/rhitprep/internal/store"
	"github.com/rhitprep/rhitprep/questions"
	"github.com/rhitprep/rhitprep/web"
)

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// questionsFS is the embedded banks, or a folder when one is configured so
// authors can edit questions without rebuilding.
func questionsFS(dir string) fs.FS {
	if dir == "" {
		return questions.FS
	}
	return os.DirFS(dir)
}

func loadBlueprint(fsys fs.FS) (*blueprint.Blueprint, error) {
	data, err := fs.ReadFile(fsys, "blueprint.yaml")
	if err != nil {
		return nil, fmt.Errorf("read blueprint: %w", err)
	}
	return blueprint.Parse(data)
}

// printDetails writes a domain error's details as FILE:LINE: field: message.
func printDetails(w io.Writer, file string, err error) bool {
	var qe *quiz.Error
	if !errors.As(err, &qe) || len(qe.Details) == 0 {
		return false
	}
	for _, d := range qe.Details {
		f := file
		if d.Path != "" {
			f = d.Path
		}
		field := d.Field
		if field == "" {
			field = "file"
		}
		fmt.Fprintf(w, "%s:%d: %s: %s\n", f, d.Line, field, d.Message)
	}
	return true
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config.Config
	f := config.NewFlagSet("serve", getenv, stderr)
	proxies := cfg.Serve(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	cfg.TrustedProxies = config.SplitList(*proxies)
	log := slog.New(slog.NewTextHandler(stderr, nil))

	qfs := questionsFS(cfg.Questions)
	bp, err := loadBlueprint(qfs)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DB, store.Options{Logger: log})
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}()
	if st.Dialect() == "sqlite" {
		release, err := lockDatabase(cfg.DB)
		if err != nil {
			return err
		}
		defer release()
	}
	svc := quiz.NewService(st, bp, time.Now, log)
	svc.SetGenerator(statgen.Pick)
	mgr := sets.NewManager(st, svc)
	n, err := mgr.LoadShipped(ctx, qfs)
	if err != nil {
		if printDetails(stderr, "questions", err) {
			return errors.New("the shipped question banks have problems (listed above)")
		}
		return err
	}
	log.Info("question banks loaded", "new_sets", n, "active_questions", svc.Index().Len())
	if closed, err := svc.Sweep(ctx); err != nil {
		return err
	} else if closed > 0 {
		log.Info("closed attempts past their deadline", "count", closed)
	}

	accounts := auth.NewService(st, time.Now, auth.DefaultLimiter())
	if st.Dialect() == "sqlite" {
		// One process owns a SQLite database, so it sees every logout.
		accounts.CacheSessions(5 * time.Minute)
	}
	app := server.New(server.Deps{
		Quiz: svc, Auth: accounts, Sets: mgr, Reports: reports.New(st, svc),
		DB: st, Log: log, Web: web.Static(),
		Version: version(), TrustedProxies: cfg.TrustedProxies,
	})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintf(stdout, "rhitprep listening on http://%s\n", ln.Addr())
	if cfg.Pprof != "" {
		// The profiler gets its own listener so it is never on the public
		// address by accident.
		go func() {
			if err := http.ListenAndServe(cfg.Pprof, nil); err != nil {
				log.Error("pprof", "err", err)
			}
		}()
	}

	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	go svc.RunSweeper(bg, 15*time.Second)
	go mgr.Watch(bg, 10*time.Second, log)
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-bg.Done():
				return
			case <-t.C:
				if err := st.DeleteExpiredSessions(bg, time.Now()); err != nil && bg.Err() == nil {
					log.Error("delete expired sessions", "err", err)
				}
			}
		}
	}()

	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	stopBG()
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
