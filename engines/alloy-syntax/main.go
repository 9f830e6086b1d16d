// alloy-syntax parses each Alloy config file given with Alloy's own syntax module and checks that the file
// equals its pretty-printed form, exactly as `alloy fmt --test` does (print, then one trailing newline).
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/grafana/alloy/syntax/parser"
	"github.com/grafana/alloy/syntax/printer"
)

var version = "unknown" // set by build.sh from go.mod

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		fmt.Printf("alloy-syntax, version %s (github.com/grafana/alloy/syntax)\n", version)
		return
	}
	bad := 0
	for _, name := range os.Args[1:] {
		if err := check(name); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(os.Stderr, "alloy-syntax: %d of %d files failed\n", bad, len(os.Args)-1)
		os.Exit(1)
	}
	fmt.Printf("alloy-syntax: %d files parse and are formatted\n", len(os.Args)-1)
}

func check(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	f, err := parser.ParseFile(name, src)
	if err != nil {
		return fmt.Errorf("parse error: %w", err)
	}
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, f); err != nil {
		return fmt.Errorf("print error: %w", err)
	}
	buf.WriteByte('\n')
	if want := buf.Bytes(); !bytes.Equal(src, want) {
		got, exp := bytes.Split(src, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := 0; ; i++ {
			if i >= len(got) || i >= len(exp) || !bytes.Equal(got[i], exp[i]) {
				return fmt.Errorf("not formatted as `alloy fmt` prints it: line %d is %q, expected %q", i+1, at(got, i), at(exp, i))
			}
		}
	}
	return nil
}

func at(lines [][]byte, i int) string {
	if i < len(lines) {
		return string(lines[i])
	}
	return "<end of file>"
}
