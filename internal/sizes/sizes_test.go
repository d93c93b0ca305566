package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// write creates files (path relative to the returned root → content) in
// a temporary directory.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, src := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// body returns a function named name whose declaration spans lines lines.
func body(name string, lines int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "func %s() {\n", name)
	for range lines - 2 {
		b.WriteString("\t_ = 0\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// methods returns n methods on type typ, alternating T and *T receivers.
func methods(typ string, n int) string {
	var b strings.Builder
	for i := range n {
		recv := typ
		if i%2 == 1 {
			recv = "*" + typ
		}
		fmt.Fprintf(&b, "func (%s) M%d() {}\n", recv, i)
	}
	return b.String()
}

func TestMeasure(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		packages map[string]int
		methods  map[string]int
		funcs    map[string]int // function → lines, for those listed
		broken   int
	}{
		{
			name: "lines per package skip tests and testdata",
			files: map[string]string{
				"a/a.go":               "package a\n\nvar X = 1\n",
				"a/b.go":               "package a\nvar Y = 2", // no final newline
				"a/a_test.go":          "package a\n" + strings.Repeat("\n", 5000),
				"a/testdata/big.go":    "package big\n" + strings.Repeat("\n", 5000),
				"a/.hidden/h.go":       "package h\n",
				"b/b.go":               "package b\n",
				"b/notes.txt":          strings.Repeat("x\n", 600),
				"c/generated/x/x.go":   "package x\n",
				"c/generated/x/y.go":   "package x\n",
				"c/generated/x/z.tmpl": "package x\n",
			},
			packages: map[string]int{"a": 5, "b": 1, "c/generated/x": 2},
			methods:  map[string]int{},
		},
		{
			name: "methods on T and *T count together, per package",
			files: map[string]string{
				"p/one.go": "package p\ntype T struct{}\ntype U struct{}\n" + methods("T", 20),
				"p/two.go": "package p\n" + strings.ReplaceAll(methods("T", 11), "M", "N") + methods("U", 3),
				"q/q.go":   "package q\ntype T struct{}\n" + methods("T", 4),
			},
			methods: map[string]int{"p.T": 31, "p.U": 3, "q.T": 4},
			broken:  1,
		},
		{
			name: "generic receivers are named without their parameters",
			files: map[string]string{
				"g/g.go": "package g\ntype L[K comparable, V any] struct{}\ntype S[E any] struct{}\n" +
					"func (*L[K, V]) A() {}\nfunc (L[K, V]) B() {}\nfunc (s *S[E]) C() {}\n",
			},
			methods: map[string]int{"g.L": 2, "g.S": 1},
		},
		{
			name: "functions over 80 lines, declaration to closing brace",
			files: map[string]string{
				"f/f.go": "package f\n\n// Long is long.\n" + body("Long", 81) + body("Limit", 80) +
					"type T struct{}\n\nfunc (t *T) Method() {\n" + strings.Repeat("\t_ = 0\n", 90) + "}\n",
				"f/f_test.go": "package f\n" + body("TestHuge", 200),
			},
			funcs:  map[string]int{"f/f.go Long": 81, "f/f.go Limit": 80, "f/f.go T.Method": 92},
			broken: 2,
		},
		{
			name: "files over 500 lines and packages over 3,000",
			files: map[string]string{
				"big/a.go": "package big\n" + strings.Repeat("\n", 500),
				"big/b.go": "package big\n" + strings.Repeat("\n", 499),
				"big/c.go": "package big\n" + strings.Repeat("\n", 499),
				"big/d.go": "package big\n" + strings.Repeat("\n", 499),
				"big/e.go": "package big\n" + strings.Repeat("\n", 499),
				"big/f.go": "package big\n" + strings.Repeat("\n", 499),
			},
			packages: map[string]int{"big": 3001},
			methods:  map[string]int{},
			broken:   2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := write(t, tt.files)
			s, err := measure(root)
			if err != nil {
				t.Fatal(err)
			}
			if tt.packages != nil && fmt.Sprint(s.packages) != fmt.Sprint(tt.packages) {
				t.Errorf("packages = %v, want %v", s.packages, tt.packages)
			}
			if tt.methods != nil && fmt.Sprint(s.methods) != fmt.Sprint(tt.methods) {
				t.Errorf("methods = %v, want %v", s.methods, tt.methods)
			}
			got := map[string]int{}
			for _, f := range s.funcs {
				got[f.name] = f.lines
			}
			for name, want := range tt.funcs {
				if got[name] != want {
					t.Errorf("function %q: %d lines, want %d (all: %v)", name, got[name], want, got)
				}
			}
			var out bytes.Buffer
			if broken := s.print(&out); broken != tt.broken {
				t.Errorf("broken = %d, want %d\n%s", broken, tt.broken, out.String())
			}
		})
	}
}

func TestRunExitCode(t *testing.T) {
	ok := write(t, map[string]string{"a/a.go": "package a\n" + body("F", 10)})
	bad := write(t, map[string]string{"a/a.go": "package a\n" + body("F", 81)})
	broken := write(t, map[string]string{"a/a.go": "package a\nfunc {"})
	tests := []struct {
		root string
		warn bool
		want int
		says string
	}{
		{ok, false, 0, "All size rules hold."},
		{bad, false, 1, "! "},
		{bad, true, 0, "1 size rules broken"},
		{broken, false, 2, ""},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if got := run(&out, tt.root, tt.warn); got != tt.want {
			t.Errorf("run(%s, warn=%v) = %d, want %d\n%s", tt.root, tt.warn, got, tt.want, out.String())
		}
		if !strings.Contains(out.String(), tt.says) {
			t.Errorf("run(%s, warn=%v) printed %q, want it to say %q", tt.root, tt.warn, out.String(), tt.says)
		}
	}
}
