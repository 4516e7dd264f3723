# The two commands of the README:
#   make demo   install what is missing, build (Release), train the default network on
#               Fashion-MNIST and print its test accuracy
#   make test   install what is missing, build, run every test
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: demo test build setup data clean

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
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

clean:
	rm -rf $(BUILD_DIR)
