# Front door. `make run` starts kiebot; `make test` runs the whole suite. Both install what is missing.
.PHONY: run test bench build format format-check clean

run:
	@scripts/run.sh

test:
	@scripts/test.sh

bench:
	@scripts/bench.sh

build:
	@scripts/deps.sh build
	@cmake --preset release >/dev/null && cmake --build --preset release

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf build
