#pragma once
// myelin: neural networks in C++. Include this one header for the whole library.
#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/random.hpp"
#include "myelin/tensor.hpp"
#include "myelin/threads.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/io/safetensors.hpp"
#include "myelin/nn/module.hpp"
#include "myelin/train/metrics.hpp"
