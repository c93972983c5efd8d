# The README's two commands: `make run` (install, build, start a demo) and `make test`
# (install, build with warnings as errors, run every test). Everything else is CMake.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build run test clean

deps:
	./deploy/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOLLGATE_WERROR=ON
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./deploy/demo.sh $(BUILD_DIR)/gateway/tollgate

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

clean:
	rm -rf $(BUILD_DIR)
