#pragma once
// Conversions between myelin tensors and ONNX protobuf messages, shared by export and import.
// The only place besides src/onnx/*.cpp (and the ONNX tests, which write hostile or rewritten
// models) that includes the protobuf headers.
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::onnx_io {

/// A float32 initializer `name` holding `t` (row-major, any layout).
onnx::TensorProto to_proto(const std::string& name, const Tensor& t);
/// An INT64 initializer (shapes, axes).
onnx::TensorProto int64_proto(const std::string& name, const std::vector<int64_t>& values);

/// The tensor `p` holds (FLOAT, DOUBLE, INT64, INT32, INT8, UINT8 or BOOL; raw or typed data),
/// as float32.
/// `what` names it in errors. Checks the element count against the data before allocating;
/// throws Error "<what>: ..." otherwise.
Tensor from_proto(const onnx::TensorProto& p, const std::string& what);

/// Attribute makers.
onnx::AttributeProto attr(const std::string& name, int64_t v);
onnx::AttributeProto attr(const std::string& name, float v);
onnx::AttributeProto attr(const std::string& name, const std::string& v);
onnx::AttributeProto attr(const std::string& name, const std::vector<int64_t>& v);
onnx::AttributeProto attr(const std::string& name, const std::vector<std::string>& v);

}  // namespace myelin::onnx_io
