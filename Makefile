# The two commands of the README:
#   make demo   install what is missing, build (Release), train the default network on
#               Fashion-MNIST and print its test accuracy
#   make test   install what is missing, fetch the application data sets, build, run every test
#   make bench  also install LibTorch, build both sides of bench/ and print the comparison table
#   make interop  also install PyTorch; check model files against torch.nn both ways, and
#                 exported ONNX models in ONNX Runtime (not in CI)
#   make sanitize   the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz       every file parser's libFuzzer target for FUZZ_SECONDS (default 30) each
# Both use one clang build in $(SANITIZE_DIR) (see docs/reliability.md).
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
SANITIZE_DIR ?= build-sanitize
FUZZ_SECONDS ?= 30

.PHONY: demo test bench build setup data clean interop sanitize fuzz sanitize-configure

setup:
	scripts/setup

data:
	scripts/setup --data

build: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j$(JOBS)

demo: data build
	$(BUILD_DIR)/tools/myelin/myelin train examples/fashion_mnist/mlp.toml

test: build
	scripts/fetch-data
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

bench:
	scripts/setup --data --bench
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j$(JOBS) --target myelin_bench torch_bench w2_cnn_myelin w2_cnn_torch \
	  w3_lstm_myelin w3_lstm_torch
	bench/run.sh --build $(BUILD_DIR)

interop:
	scripts/setup --interop
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j$(JOBS) --target interop_models
	/usr/bin/python3 scripts/interop/check_torch.py $(BUILD_DIR)/tests/interop_models
	# Exported ONNX models in ONNX Runtime (onnxruntime-node's own install script only fetches
	# GPU libraries; its CPU library is in the package).
	npm install --prefix $(BUILD_DIR)/onnxruntime --no-audit --no-fund --ignore-scripts onnxruntime-node@1.30.0
	cmake --build $(BUILD_DIR) -j$(JOBS) --target myelin_tests
	rm -rf $(BUILD_DIR)/onnx-models && mkdir -p $(BUILD_DIR)/onnx-models
	MYELIN_ONNX_EXPORT_DIR=$(BUILD_DIR)/onnx-models $(BUILD_DIR)/tests/myelin_tests --gtest_filter='EveryLayerKind/OnnxExport.*' >/dev/null
	NODE_PATH=$(BUILD_DIR)/onnxruntime/node_modules node scripts/interop/check_onnx.js $(BUILD_DIR)/onnx-models

sanitize-configure:
	scripts/setup --fuzz
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -DMYELIN_SANITIZE=ON -DMYELIN_FUZZ=ON -DMYELIN_BUILD_BENCH=OFF

sanitize: sanitize-configure
	cmake --build $(SANITIZE_DIR) -j$(JOBS) --target myelin_tests
	scripts/fetch-data
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j$(JOBS)

fuzz: sanitize-configure
	cmake --build $(SANITIZE_DIR) -j$(JOBS) --target fuzz_targets
	fuzz/run.sh $(SANITIZE_DIR) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR)
