// Command sizes prints the size of Pollen's code against the layout rules:
// no package over 3,000 lines of non-test code, no type with more than 30
// methods, no production function over 80 lines and no file over 500.
// It reads every .go file of the module but tests and testdata, marks each
// rule broken with "!", and exits 1 when one is (0 with -warn).
//
//	go run ./internal/sizes [-warn] [dir]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	warn := flag.Bool("warn", false, "print the table but exit 0 when a rule is broken")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./internal/sizes [-warn] [module root, default .]")
		flag.PrintDefaults()
	}
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	os.Exit(run(os.Stdout, root, *warn))
}

// run measures the module at root, prints the report to w and returns the
// exit code: 2 when the code cannot be read, 1 when a rule is broken and
// warn is false, 0 otherwise.
func run(w io.Writer, root string, warn bool) int {
	m, err := measure(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sizes:", err)
		return 2
	}
	broken := m.print(w)
	if broken > 0 && !warn {
		return 1
	}
	return 0
}
