// Command testrun runs the test suite as go test does, and runs once more the tests that failed
// only because their headless Chromium crashed.
//
//	go run ./cmd/testrun [go test flags] packages...
//
// It passes its arguments to go test and shows go test's output as it comes. When go test
// fails, and every test that failed says browsertest.CrashMarker
// (the browser process ended on a signal such as a segmentation fault, which no page can
// cause), it runs those tests once more, each package with -run naming them, and succeeds
// when they pass. Any other failure, a panic or a package that does not build fails the run at
// once, with no second try.
//
// Flags are the arguments that begin with "-", and take their values with "=" (-timeout=45m),
// so that the second run can keep the flags and name other packages.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"

	"github.com/minasidor/minasidor/internal/browsertest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "testrun:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	var flags, packages []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
		} else {
			packages = append(packages, a)
		}
	}
	var out bytes.Buffer
	err := goTest(io.MultiWriter(os.Stdout, &out), append(flags, packages...))
	if err == nil {
		return nil
	}
	again, ok := crashedOnly(out.String())
	if !ok {
		return err
	}
	for _, p := range again {
		fmt.Fprintf(os.Stderr, "testrun: Chromium crashed in %s of %s; running them once more\n", strings.Join(p.tests, ", "), p.name)
		if err := goTest(os.Stdout, append(slices.Clone(flags), "-run=^("+strings.Join(p.tests, "|")+")$", p.name)); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "testrun: the tests whose browser crashed passed the second time")
	return nil
}

// goTest runs go test with args: the go command the Makefile names (its GO, which it exports),
// or else the one on PATH.
func goTest(stdout io.Writer, args []string) error {
	goCmd := os.Getenv("GO")
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.Command(goCmd, append([]string{"test"}, args...)...)
	cmd.Stdout = stdout
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

// failedPackage is a package with the top-level tests that failed in it.
type failedPackage struct {
	name  string
	tests []string
}

var (
	failLine    = regexp.MustCompile(`^--- FAIL: (\S+) \(`)
	packageLine = regexp.MustCompile(`^(ok|FAIL)\s+(\S+)(\s|$)`)
)

// crashedOnly reads go test's output (not -v, not -json) and returns the failed packages with
// their failed tests, when every failure is a crash of a test's browser. It reports false when
// any failure is something else: a test that failed on its own account, a panic (a timeout
// among them), or a package that failed without a failed test, as one that does not build.
func crashedOnly(output string) ([]failedPackage, bool) {
	var (
		failed  []failedPackage
		tests   []string // failed tests of the package being read
		current = -1     // index in tests of the test whose failure is being read
		crashed = true   // every failed test so far has the crash marker
		panics  = false
	)
	for _, line := range strings.Split(output, "\n") {
		switch m := failLine.FindStringSubmatch(line); {
		case m != nil:
			if current >= 0 && !crashed {
				return nil, false
			}
			tests = append(tests, m[1])
			current, crashed = len(tests)-1, false
			continue
		case current >= 0 && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")):
			if strings.Contains(line, browsertest.CrashMarker) {
				crashed = true
			}
			continue
		}
		if current >= 0 && !crashed {
			return nil, false
		}
		current = -1
		if strings.HasPrefix(line, "panic:") {
			panics = true
		}
		if m := packageLine.FindStringSubmatch(line); m != nil {
			if m[1] == "FAIL" {
				if len(tests) == 0 || panics || strings.Contains(line, "[") {
					return nil, false
				}
				failed = append(failed, failedPackage{name: m[2], tests: tests})
			}
			tests, panics = nil, false
		}
	}
	if current >= 0 && !crashed {
		return nil, false
	}
	return failed, len(failed) > 0
}
