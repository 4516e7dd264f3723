# The two commands of the README:
#   make demo   install what is missing, build (Release), train the default network on
#               Fashion-MNIST and print its test accuracy
#   make test   install what is missing, fetch the application data sets, build, run every test
#   make bench  also install LibTorch, build both sides of bench/ and print the comparison table
#   make interop  also install PyTorch; check model files against torch.nn both ways (not in CI)
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: demo test bench build setup data clean interop

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

clean:
	rm -rf $(BUILD_DIR)
