#include "onnx/proto.hpp"

#include <cstring>
#include <limits>

#include "myelin/error.hpp"

namespace myelin::onnx_io {

onnx::TensorProto to_proto(const std::string& name, const Tensor& t) {
  onnx::TensorProto p;
  p.set_name(name);
  p.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : t.shape()) p.add_dims(d);
  const Tensor c = t.contiguous();
  // ONNX raw data is little-endian, as this machine's floats.
  p.set_raw_data(std::string(reinterpret_cast<const char*>(c.data()), c.numel() * sizeof(float)));
  return p;
}

onnx::TensorProto int64_proto(const std::string& name, const std::vector<int64_t>& values) {
  onnx::TensorProto p;
  p.set_name(name);
  p.set_data_type(onnx::TensorProto::INT64);
  p.add_dims(static_cast<int64_t>(values.size()));
  for (int64_t v : values) p.add_int64_data(v);
  return p;
}

namespace {

size_t element_size(int type) {
  switch (type) {
    case onnx::TensorProto::FLOAT: case onnx::TensorProto::INT32: return 4;
    case onnx::TensorProto::DOUBLE: case onnx::TensorProto::INT64: return 8;
    case onnx::TensorProto::BOOL: case onnx::TensorProto::UINT8: case onnx::TensorProto::INT8: return 1;
    default: return 0;
  }
}

template <class T>
void convert_raw(const std::string& raw, std::vector<float>& out) {
  for (size_t i = 0; i < out.size(); ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
    out[i] = static_cast<float>(v);
  }
}

template <class Field>
void convert_typed(const Field& field, std::vector<float>& out) {
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(field.Get(static_cast<int>(i)));
}

}  // namespace

Tensor from_proto(const onnx::TensorProto& p, const std::string& what) {
  const int type = p.data_type();
  const size_t size = element_size(type);
  if (size == 0)
    throw Error(what + ": element type " + onnx::TensorProto::DataType_Name(p.data_type()) +
                " is not supported (expected FLOAT, DOUBLE, INT64, INT32, INT8, UINT8 or BOOL)");
  if (p.has_data_location() && p.data_location() == onnx::TensorProto::EXTERNAL)
    throw Error(what + ": data in an external file is not supported");
  Shape shape;
  int64_t count = 1;
  for (int64_t d : p.dims()) {
    if (d < 0) throw Error(what + ": negative dimension " + std::to_string(d));
    if (d > 0 && count > std::numeric_limits<int32_t>::max() / d)
      throw Error(what + ": too many elements");
    shape.push_back(d);
    count *= d;
  }
  // The element count must match the data present, so a hostile header allocates nothing more.
  int64_t present = 0;
  if (p.has_raw_data()) present = static_cast<int64_t>(p.raw_data().size() / size);
  else if (type == onnx::TensorProto::FLOAT) present = p.float_data_size();
  else if (type == onnx::TensorProto::DOUBLE) present = p.double_data_size();
  else if (type == onnx::TensorProto::INT64) present = p.int64_data_size();
  else present = p.int32_data_size();  // INT32 and the 1-byte types

  if (present != count || (p.has_raw_data() && p.raw_data().size() != static_cast<size_t>(count) * size))
    throw Error(what + ": shape " + to_string(shape) + " needs " + std::to_string(count) +
                " elements, the data holds " + std::to_string(present));
  std::vector<float> values(static_cast<size_t>(count));
  if (p.has_raw_data()) {
    if (type == onnx::TensorProto::FLOAT) convert_raw<float>(p.raw_data(), values);
    else if (type == onnx::TensorProto::DOUBLE) convert_raw<double>(p.raw_data(), values);
    else if (type == onnx::TensorProto::INT32) convert_raw<int32_t>(p.raw_data(), values);
    else if (type == onnx::TensorProto::INT64) convert_raw<int64_t>(p.raw_data(), values);
    else if (type == onnx::TensorProto::INT8) convert_raw<int8_t>(p.raw_data(), values);
    else convert_raw<uint8_t>(p.raw_data(), values);  // UINT8, BOOL
  } else if (type == onnx::TensorProto::FLOAT) {
    convert_typed(p.float_data(), values);
  } else if (type == onnx::TensorProto::DOUBLE) {
    convert_typed(p.double_data(), values);
  } else if (type == onnx::TensorProto::INT64) {
    convert_typed(p.int64_data(), values);
  } else {
    convert_typed(p.int32_data(), values);
  }
  return Tensor::from_vector(values, shape);
}

onnx::AttributeProto attr(const std::string& name, int64_t v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INT);
  a.set_i(v);
  return a;
}

onnx::AttributeProto attr(const std::string& name, float v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::FLOAT);
  a.set_f(v);
  return a;
}

onnx::AttributeProto attr(const std::string& name, const std::string& v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::STRING);
  a.set_s(v);
  return a;
}

onnx::AttributeProto attr(const std::string& name, const std::vector<int64_t>& v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a.add_ints(x);
  return a;
}

onnx::AttributeProto attr(const std::string& name, const std::vector<std::string>& v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::STRINGS);
  for (const std::string& x : v) a.add_strings(x);
  return a;
}

}  // namespace myelin::onnx_io
