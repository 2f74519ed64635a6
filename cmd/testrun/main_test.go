package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// crashOutput is what go test printed when a browser crashed in CI.
const crashOutput = `ok  	github.com/minasidor/minasidor/cmd/minasidor	17.382s
--- FAIL: TestBuildAndPublishWithoutJavaScript (15.91s)
    builder_test.go:122: browsertest: click "form.form button" and wait for the next page: Chromium crashed (signal: segmentation fault), which no page can cause: browser process exited: signal: segmentation fault: context canceled
    browsertest.go:137: chromium output:
        /usr/bin/chromium: 9: [: 25275105280: unexpected operator
FAIL
FAIL	github.com/minasidor/minasidor/e2e	295.960s
ok  	github.com/minasidor/minasidor/internal/account	2.351s
?   	github.com/minasidor/minasidor/internal/app	[no test files]
`

const ownFailure = `--- FAIL: TestSubmit (1.20s)
    submit_test.go:40: status 500, want 303
FAIL
FAIL	github.com/minasidor/minasidor/internal/web	80.1s
`

func TestCrashedOnly(t *testing.T) {
	for _, tt := range []struct {
		name   string
		output string
		want   []failedPackage
	}{
		{"a crash", crashOutput, []failedPackage{{"github.com/minasidor/minasidor/e2e", []string{"TestBuildAndPublishWithoutJavaScript"}}}},
		{"a failure of the test's own", ownFailure, nil},
		{"a crash and a failure of another package", crashOutput + ownFailure, nil},
		{"a crash and a failure in the same package", `--- FAIL: TestA (1.00s)
    a_test.go:1: browsertest: Chromium crashed (signal: segmentation fault), which no page can cause: x
--- FAIL: TestB (1.00s)
    b_test.go:2: got 1, want 2
FAIL
FAIL	example.com/p	2.0s
`, nil},
		{"a failure before a crash in the same package", `--- FAIL: TestB (1.00s)
    b_test.go:2: got 1, want 2
--- FAIL: TestA (1.00s)
    a_test.go:1: browsertest: Chromium crashed (signal: segmentation fault), which no page can cause: x
FAIL
FAIL	example.com/p	2.0s
`, nil},
		{"a crash in a subtest, and crashes in two packages", `--- FAIL: TestA (1.00s)
    --- FAIL: TestA/narrow (1.00s)
        a_test.go:1: browsertest: Chromium crashed (signal: aborted), which no page can cause: x
--- FAIL: TestC (1.00s)
    c_test.go:1: browsertest: Chromium crashed (signal: segmentation fault), which no page can cause: x
FAIL
FAIL	example.com/p	2.0s
--- FAIL: TestD (1.00s)
    d_test.go:1: browsertest: Chromium crashed (signal: segmentation fault), which no page can cause: x
FAIL
FAIL	example.com/q	2.0s
`, []failedPackage{{"example.com/p", []string{"TestA", "TestC"}}, {"example.com/q", []string{"TestD"}}}},
		{"a timeout's panic", `--- FAIL: TestA (1.00s)
    a_test.go:1: browsertest: Chromium crashed (signal: segmentation fault), which no page can cause: x
panic: test timed out after 45m0s
goroutine 1 [running]:
FAIL	example.com/p	2700.0s
`, nil},
		{"a package that does not build", "FAIL\texample.com/p [build failed]\n", nil},
		{"a package that fails with no test", "FAIL\texample.com/p\t0.1s\n", nil},
		{"nothing failed", "ok  \texample.com/p\t0.1s\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := crashedOnly(tt.output)
			if ok != (tt.want != nil) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("crashedOnly = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}

// TestRunAgain runs go test on a module of its own, whose test fails with the crash marker the
// first time and passes the second, beside a test that passes and one that is not run again.
func TestRunAgain(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module crashy\n\ngo 1.24\n")
	write("crashy_test.go", `package crashy

import (
	"os"
	"testing"
)

func TestJourney(t *testing.T) {
	if _, err := os.Stat("first"); err != nil {
		os.WriteFile("first", nil, 0o644)
		t.Fatal("browsertest: click: Chromium crashed (signal: segmentation fault), which no page can cause")
	}
	if _, err := os.Stat("second"); err == nil {
		t.Fatal("run a third time")
	}
	os.WriteFile("second", nil, 0o644)
}

func TestOther(t *testing.T) {
	f, err := os.OpenFile("other", os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("ran\n")
	f.Close()
}
`)
	t.Chdir(dir)
	if err := run([]string{"-count=1", "./..."}); err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := os.Stat("second"); err != nil {
		t.Error("TestJourney did not run a second time")
	}
	if other, _ := os.ReadFile("other"); string(other) != "ran\n" {
		t.Errorf("TestOther ran %q, want once", other)
	}

	write("own_test.go", `package crashy

import "testing"

func TestOwn(t *testing.T) { t.Fatal("got 1, want 2") }
`)
	if err := os.Remove("first"); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-count=1", "./..."}); err == nil {
		t.Error("run succeeded with a test that failed on its own account")
	}
}

// The go command is the Makefile's GO when it exports one: a stand-in records how it was run.
func TestGoFromMakefile(t *testing.T) {
	dir := t.TempDir()
	script, called := filepath.Join(dir, "go"), filepath.Join(dir, "called")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"$@\" > "+called+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GO", script)
	if err := run([]string{"./internal/x", "-count=1"}); err != nil {
		t.Fatalf("run: %v", err)
	}
	got, err := os.ReadFile(called)
	if err != nil {
		t.Fatal("the GO command was not run:", err)
	}
	if want := "test -count=1 ./internal/x\n"; string(got) != want {
		t.Errorf("GO ran with %q, want %q", got, want)
	}
}
