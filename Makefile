# The README's two commands: `make run` (install, build, start a demo) and `make test`
# (install, build with warnings as errors, run every test). CI adds `make test-sanitize`: the
# whole suite again, built with AddressSanitizer and UBSan. Everything else is CMake.
BUILD_DIR ?= build
SANITIZE_BUILD_DIR ?= build-sanitize
JOBS ?= $(shell nproc)

.PHONY: deps build run test test-sanitize deb clean

deps:
	./deploy/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOLLGATE_WERROR=ON
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./deploy/demo.sh $(BUILD_DIR)/gateway/tollgate

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

# The fuzz smoke run is left out (its targets are built with the sanitizers anyway), and so is
# the Debian package check (a package of a sanitizer build is no package to ship).
test-sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Sanitize \
	  -DTOLLGATE_WERROR=ON -DTOLLGATE_SANITIZE=ON -DTOLLGATE_BUILD_BENCH=OFF
	cmake --build $(SANITIZE_BUILD_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 900 -LE "fuzz|package"

# The Debian package: $(BUILD_DIR)/tollgate_VERSION_ARCH.deb (see docs/packaging.md).
deb: build
	cd $(BUILD_DIR) && cpack -G DEB

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_BUILD_DIR)
