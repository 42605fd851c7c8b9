# rhitprep: one binary, SQLite by default. mattn/go-sqlite3 needs cgo.
export CGO_ENABLED := 1

GO      ?= go
BIN     ?= bin/rhitprep
FUZZTIME ?= 60s
# Minimising a new crasher candidate can run long on a busy machine; bound it.
FUZZMINTIME ?= 10s

LOAD_DURATION ?= 10s
BENCHTIME ?= 1s

.PHONY: build run test test-postgres test-race cover lint fmt vet check-questions bench fuzz load soak clean

build:
	$(GO) build -o $(BIN) ./cmd/rhitprep

## run: the server on ./data/rhitprep.db with the shipped banks, on 127.0.0.1:8080
run: build
	./$(BIN) serve

## test: every test, against real SQLite files and the real app
test:
	$(GO) test -count=1 ./...

## test-postgres: the same suites against a throwaway PostgreSQL (or the
## server in RHITPREP_TEST_POSTGRES), including the two-server test
test-postgres:
	./.ci/with-postgres $(GO) test -count=1 ./...

## test-race: the suite under the race detector
test-race:
	$(GO) test -count=1 -race ./...

cover:
	$(GO) test -count=1 -coverprofile=cover.out ./...
	$(GO) tool cover -func=cover.out | tail -1

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

lint: vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt would change the files above"; exit 1)

## check-questions: the shipped banks and blueprint, with counts
check-questions: build
	./$(BIN) validate --stats questions

## bench: every Go benchmark for BENCHTIME (1s, or a count such as 1x)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

## load: the load tool against a fresh server: durable saves at 256 connections,
## saves at a constant 1,000/s, mock exam starts at 16 connections on a
## 10,000-question bank, and 16 candidates taking whole mock exams
load: build
	$(GO) build -o bin/rhitload ./cmd/rhitload
	./bin/rhitload -spawn ./$(BIN) -scenario save -conns 256 -users 256 -duration $(LOAD_DURATION)
	./bin/rhitload -spawn ./$(BIN) -scenario save -mode rate -rate 1000 -conns 512 -users 256 -duration $(LOAD_DURATION)
	./bin/rhitload -spawn ./$(BIN) -scenario start -bank 10000 -conns 16 -users 16 -duration $(LOAD_DURATION)
	./bin/rhitload -spawn ./$(BIN) -scenario exam -conns 16 -users 16 -duration $(LOAD_DURATION)

## soak: kill -9 the server under concurrent saves, 20 rounds, and count lost answers
soak:
	RHITPREP_KILL_ROUNDS=20 $(GO) test -count=1 -run TestKillNineLosesNoAcknowledgedAnswer -v ./cmd/rhitprep

## fuzz: every fuzz target for FUZZTIME each
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin cover.out
