// Package config reads rhitprep's settings from flags and environment
// variables. Every flag has an environment variable; a flag given on the
// command line wins.
package config

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// Config holds every setting a subcommand may use.
type Config struct {
	Addr           string
	DB             string
	Questions      string // a folder with blueprint.yaml and banks/; "" for the embedded banks
	TrustedProxies []string
	Pprof          string // an address for net/http/pprof; "" for none
}

// Defaults.
const (
	DefaultAddr = "127.0.0.1:8080"
	DefaultDB   = "./data/rhitprep.db"
)

// FlagSet is a flag set whose flags default to environment variables.
type FlagSet struct {
	*flag.FlagSet
	getenv func(string) string
}

// NewFlagSet returns a flag set for a subcommand that writes its usage to w.
func NewFlagSet(name string, getenv func(string) string, w io.Writer) *FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	return &FlagSet{FlagSet: fs, getenv: getenv}
}

// String defines a string flag whose default comes from env, else def.
func (f *FlagSet) String(p *string, name, env, def, usage string) {
	if v := f.getenv(env); v != "" {
		def = v
	}
	f.StringVar(p, name, def, usage+" ($"+env+")")
}

// Int defines an int flag whose default comes from env, else def.
func (f *FlagSet) Int(p *int, name, env string, def int, usage string) error {
	if v := f.getenv(env); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &def); err != nil {
			return fmt.Errorf("$%s: %q is not a number", env, v)
		}
	}
	f.IntVar(p, name, def, usage+" ($"+env+")")
	return nil
}

// Bool defines a boolean flag whose default comes from env ("1", "true").
func (f *FlagSet) Bool(p *bool, name, env, usage string) {
	v := f.getenv(env)
	f.BoolVar(p, name, v == "1" || strings.EqualFold(v, "true"), usage+" ($"+env+")")
}

// Common adds the settings every server-side subcommand shares.
func (c *Config) Common(f *FlagSet) {
	f.String(&c.DB, "db", "RHITPREP_DB", DefaultDB, "SQLite file path")
}

// Serve adds the settings of the serve subcommand.
func (c *Config) Serve(f *FlagSet) *string {
	c.Common(f)
	f.String(&c.Addr, "addr", "RHITPREP_ADDR", DefaultAddr, "address to listen on")
	f.String(&c.Questions, "questions", "RHITPREP_QUESTIONS", "", "folder with blueprint.yaml and banks/ to use instead of the embedded banks")
	f.String(&c.Pprof, "pprof", "RHITPREP_PPROF", "", "serve Go's profiler on this address (for example 127.0.0.1:6060); off when empty")
	var proxies string
	f.String(&proxies, "trusted-proxies", "RHITPREP_TRUSTED_PROXIES", "", "comma-separated proxy addresses whose X-Forwarded-For is trusted")
	return &proxies
}

// SplitList splits a comma-separated setting, dropping blanks.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
