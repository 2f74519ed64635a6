# Mina sidor. `make run` to try it, `make test` for the whole suite.
GO      ?= go
export GO # cmd/testrun runs go test with it
BIN     := bin/minasidor
GOFILES := $(shell find cmd internal migrations templates web e2e -name '*.go' 2>/dev/null)

.PHONY: run test bench generate lint build docker deps

## run: start the portal locally with its own PostgreSQL, the development IdP and demo data
run: build
	@scripts/install-deps.sh run
	./$(BIN) dev

## test: formatting, vet, stale templ check, and every test (race detector, real PostgreSQL, headless Chromium)
test: deps lint build
	./$(BIN) testdb -- $(GO) run ./cmd/testrun -race -timeout=45m ./...

## bench: the pages' load benchmarks (README, "Pages under load") on a database of their own that
## `minasidor scale` fills with a million cases; about ten minutes, and not part of make test.
## BENCH and BENCHTIME pick other benchmarks of internal/web: make bench BENCH='QueuePage|BenchmarkSearch' BENCHTIME=50x
BENCH     ?= PagesUnderLoad|PageCost
BENCHTIME ?= 1x
bench: build
	@scripts/install-deps.sh bench
	CLAMD_TEST_ADDR=none ./$(BIN) testdb -- scripts/bench.sh '$(BENCH)' '$(BENCHTIME)'

## generate: regenerate the templ output
generate:
	$(GO) tool templ generate

## lint: gofmt, go vet and the stale templ check
lint:
	@unformatted=$$(gofmt -l $(GOFILES)); if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	scripts/check-templ.sh

## build: the binary in bin/
build:
	$(GO) build -o $(BIN) ./cmd/minasidor

## docker: the production image
docker:
	docker build -t minasidor .

deps:
	@scripts/install-deps.sh test
