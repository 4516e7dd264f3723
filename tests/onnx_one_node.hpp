#pragma once
// OneNode: writes a one-node ONNX model with ONNX's protobuf messages, for import tests.
#include <string>
#include <utility>
#include <vector>

#include "myelin/tensor.hpp"
#include "onnx/proto.hpp"
#include "temp_dir.hpp"

namespace myelin::testing {

// A one-node graph (opset 17): input x of shape `x_shape`, output y, weights as initializers.
struct OneNode {
  std::string op;
  Shape x_shape;
  std::vector<std::pair<std::string, Tensor>> weights;
  std::vector<onnx::AttributeProto> attrs;
  std::vector<std::string> inputs{"x"};

  std::string write(const TempDir& dir, const std::string& name) const {
    onnx::ModelProto m;
    m.set_ir_version(8);
    m.add_opset_import()->set_version(17);
    onnx::GraphProto& g = *m.mutable_graph();
    g.set_name("g");
    onnx::NodeProto& n = *g.add_node();
    n.set_name("node");
    n.set_op_type(op);
    for (const std::string& i : inputs) n.add_input(i);
    n.add_output("y");
    for (const auto& a : attrs) *n.add_attribute() = a;
    for (const auto& [w, t] : weights) *g.add_initializer() = onnx_io::to_proto(w, t);
    onnx::ValueInfoProto& x = *g.add_input();
    x.set_name("x");
    x.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : x_shape) x.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(d);
    onnx::ValueInfoProto& y = *g.add_output();
    y.set_name("y");
    y.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    y.mutable_type()->mutable_tensor_type()->mutable_shape();  // the checker wants one, of any rank
    return dir.write(name, m.SerializeAsString());
  }
};

}  // namespace myelin::testing
