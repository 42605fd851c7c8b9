// Command rhitprep runs the rhitprep server and its tools: serve, user
// create, validate, import and version.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "rhitprep:", err)
		}
		os.Exit(1)
	}
}

// errReported means the command has already told the user what went wrong
// (validate's problem list) and only the exit status remains to be set.
var errReported = errors.New("problems reported")

const usage = `rhitprep: RHIT practice exams and quizzes

Usage:
  rhitprep serve [--addr 127.0.0.1:8080] [--db PATH] [--questions DIR]
  rhitprep user create --username U --role learner|instructor|admin [--db PATH]   (password on stdin)
  rhitprep validate [--format F] [--topic T] [--domain D] [--shipped] [--stats] FILE|DIR...
  rhitprep import [--format F] [--name N] [--topic T] [--domain D] [--db PATH] FILE
  rhitprep version
`

// run is the whole program, with its environment passed in so tests can
// run it like a user would.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprint(stderr, usage)
			return errors.New("usage: rhitprep user create --username U --role R")
		}
		return userCreate(ctx, args[2:], getenv, stdin, stdout, stderr)
	case "validate":
		return validate(args[1:], getenv, stdout, stderr)
	case "import":
		return importSet(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "rhitprep", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
