package config

import (
	"io"
	"testing"
)

func TestFlagsReadTheEnvironmentAndWin(t *testing.T) {
	env := map[string]string{"RHITPREP_DB": "/from/env.db", "RHITPREP_ADDR": "127.0.0.1:9999", "RHITPREP_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name     string
		args     []string
		db, addr string
	}{
		{"environment only", nil, "/from/env.db", "127.0.0.1:9999"},
		{"a flag wins", []string{"--db", "/from/flag.db"}, "/from/flag.db", "127.0.0.1:9999"},
	}
	for _, tt := range tests {
		var c Config
		f := NewFlagSet("serve", getenv, io.Discard)
		proxies := c.Serve(f)
		if err := f.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		if c.DB != tt.db || c.Addr != tt.addr {
			t.Errorf("%s: db %q addr %q, want %q %q", tt.name, c.DB, c.Addr, tt.db, tt.addr)
		}
		if got := SplitList(*proxies); len(got) != 2 || got[1] != "10.0.0.2" {
			t.Errorf("%s: proxies %v", tt.name, got)
		}
	}
	var c Config
	f := NewFlagSet("serve", func(string) string { return "" }, io.Discard)
	c.Serve(f)
	f.Parse(nil)
	if c.DB != DefaultDB || c.Addr != DefaultAddr {
		t.Errorf("defaults: %q %q", c.DB, c.Addr)
	}
	var n int
	bad := NewFlagSet("x", func(string) string { return "ten" }, io.Discard)
	if err := bad.Int(&n, "domain", "RHITPREP_DOMAIN", 0, "d"); err == nil {
		t.Errorf("a non-number in the environment was accepted")
	}
}
