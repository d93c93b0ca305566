package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The limits of the layout rules.
const (
	maxPackageLines = 3000
	maxMethods      = 30
	maxFuncLines    = 80
	maxFileLines    = 500
)

// sizes is what measure found in a module. Packages are named by their
// directory relative to the module's root ("." for the root).
type sizes struct {
	packages map[string]int // non-test lines per package
	methods  map[string]int // methods per "package.Type", on T and *T
	funcs    []sized        // every function and method of non-test code
	files    []sized        // every non-test file
}

// sized is one function or file and its length in lines.
type sized struct {
	name  string
	lines int
}

// measure reads every non-test .go file under root, skipping testdata,
// vendor and directories whose name starts with "." or "_". It returns
// an error if a directory cannot be walked or a file cannot be read or
// parsed.
func measure(root string) (*sizes, error) {
	s := &sizes{packages: map[string]int{}, methods: map[string]int{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		return s.addFile(fset, root, path)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// addFile counts one file's lines, functions and methods. It returns an
// error if the file cannot be read or parsed.
func (s *sizes) addFile(fset *token.FileSet, root, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return err
	}
	rel = filepath.ToSlash(rel)
	pkg := filepath.ToSlash(filepath.Dir(rel))
	lines := countLines(src)
	s.packages[pkg] += lines
	s.files = append(s.files, sized{rel, lines})
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok {
			continue
		}
		name := fn.Name.Name
		if fn.Recv != nil && len(fn.Recv.List) > 0 {
			typ := receiverType(fn.Recv.List[0].Type)
			s.methods[pkg+"."+typ]++
			name = typ + "." + name
		}
		n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
		s.funcs = append(s.funcs, sized{fmt.Sprintf("%s %s", rel, name), n})
	}
	return nil
}

// countLines counts lines as wc -l does, plus a last line without its
// newline.
func countLines(src []byte) int {
	n := bytes.Count(src, []byte("\n"))
	if len(src) > 0 && src[len(src)-1] != '\n' {
		n++
	}
	return n
}

// receiverType names the type of a receiver, without its pointer or its
// type parameters: T for T, *T, T[K] and *T[K, V].
func receiverType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return "?"
		}
	}
}

// print writes the report to w: every package's lines, the ten types with
// most methods and every type over the limit, and every function and file
// over its limit. A broken rule is marked "!". It returns how many are
// broken.
func (s *sizes) print(w io.Writer) int {
	broken := 0
	mark := func(over bool) string {
		if over {
			broken++
			return "!"
		}
		return " "
	}

	fmt.Fprintf(w, "Packages (non-test lines, limit %d)\n", maxPackageLines)
	for _, p := range sortedByName(s.packages) {
		fmt.Fprintf(w, "%s %6d  %s\n", mark(p.lines > maxPackageLines), p.lines, p.name)
	}

	fmt.Fprintf(w, "\nTypes by methods (on T and *T, limit %d; the 10 largest and all over)\n", maxMethods)
	types := sortedByName(s.methods)
	sortBySize(types)
	for i, t := range types {
		if i >= 10 && t.lines <= maxMethods {
			break
		}
		fmt.Fprintf(w, "%s %6d  %s\n", mark(t.lines > maxMethods), t.lines, t.name)
	}

	broken += printOver(w, "Functions", s.funcs, maxFuncLines)
	broken += printOver(w, "Files", s.files, maxFileLines)

	if broken == 0 {
		fmt.Fprintln(w, "\nAll size rules hold.")
	} else {
		fmt.Fprintf(w, "\n%d size rules broken (marked !).\n", broken)
	}
	return broken
}

// printOver writes, largest first, the items over limit and returns how
// many there are.
func printOver(w io.Writer, what string, items []sized, limit int) int {
	var over []sized
	for _, it := range items {
		if it.lines > limit {
			over = append(over, it)
		}
	}
	sortBySize(over)
	fmt.Fprintf(w, "\n%s over %d lines: %d\n", what, limit, len(over))
	for _, it := range over {
		fmt.Fprintf(w, "! %6d  %s\n", it.lines, it.name)
	}
	return len(over)
}

// sortedByName turns a map of counts into a list sorted by name.
func sortedByName(m map[string]int) []sized {
	out := make([]sized, 0, len(m))
	for name, n := range m {
		out = append(out, sized{name, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// sortBySize sorts items largest first, keeping the order of equal ones.
func sortBySize(items []sized) {
	sort.SliceStable(items, func(i, j int) bool { return items[i].lines > items[j].lines })
}
