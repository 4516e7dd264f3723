// Embedding <-> Gather (a lookup in a constant table), and the positional encodings -> Add of
// the table's first T rows (export only).
//
// myelin's token ids are whole-number floats. A graph whose first layer is an Embedding takes
// INT64 token ids (as PyTorch's export does); an Embedding later in a model casts its float
// input to INT64 first. The importer reads both: Gather by the chain's indices, and Cast to an
// integer type right before such a Gather.
#include "myelin/error.hpp"
#include "myelin/nn/positional.hpp"
#include "onnx/op_table.hpp"

namespace myelin::onnx_io {

bool reads_token_ids(const nn::Module& m) {
  if (m.type_name() == "Embedding") return true;
  return m.type_name() == "Sequential" && !m.children().empty() && reads_token_ids(*m.children().front().second);
}

namespace {

// indices (...) -> weight rows (..., embedding_dim).
Value export_embedding(const Layer& l, const Value& x, ExportGraph& g) {
  const std::string indices =
      x.token_ids ? x.name : g.node("Cast", {x.name}, {attr("to", int64_t{onnx::TensorProto::INT64})});
  return {g.node("Gather", {l.weight(g, "weight"), indices}, {attr("axis", int64_t{0})}), x.rank ? x.rank + 1 : 0};
}

// Gather(data = a constant (V, D) table, indices = the chain) along axis 0: an Embedding.
// ONNX's negative indices (counted from the end) are out of range for myelin's Embedding.
void import_gather(ImportNode& n) {
  n.allow_attributes({"axis"});
  if (n.attr_int("axis", 0) != 0) n.fail("only axis 0 (a lookup of table rows: an Embedding) is supported");
  if (n.node.input(0) == n.node.input(1)) n.fail("data and indices are the same value");
  const Tensor table = n.constant(0);
  if (table.dim() != 2) n.fail("data must be a (num_embeddings, embedding_dim) table, got " + to_string(table.shape()));
  nn::ModuleSpec s = spec_of("Embedding");
  s.set("num_embeddings", table.size(0));
  s.set("embedding_dim", table.size(1));
  n.add_layer(s, {{"weight", table}});
  if (n.input_rank_known()) n.set_output_rank(n.input_rank() + 1);  // (..., embedding_dim)
}

// A Cast of float token ids to an integer type, read only as part of the Gather after it
// (myelin's Embedding takes the float ids as they are): adds no layer.
void import_cast(ImportNode& n) {
  n.allow_attributes({"to"});
  const int64_t to = n.attr_int("to", 0);
  if (to != onnx::TensorProto::INT64 && to != onnx::TensorProto::INT32)
    n.fail("only a Cast to INT64 or INT32 right before a Gather (an Embedding's token ids) is supported");
  const onnx::NodeProto* gather = n.next_reading(n.node.output(0), 1);
  if (!gather || gather->op_type() != "Gather")
    n.fail("a Cast to an integer type must be followed by a Gather reading it as indices (an Embedding)");
}

// x (B, T, dim) + table[:T]: T read from x's shape, so any length up to max_len works.
Value export_positional(const Layer& l, const Value& x, ExportGraph& g) {
  const auto& pe = dynamic_cast<const nn::PositionalEncoding&>(l.module);
  // The learned table is the parameter "weight"; the sinusoidal one is fixed, not in the state dict.
  const std::string table = l.has("weight") ? l.weight(g, "weight") : g.initializer(l.prefix + "onnx_table", pe.table());
  const std::string steps = g.node("Shape", {x.name}, {attr("start", int64_t{1}), attr("end", int64_t{2})});
  const std::string zero = g.int64_constant({0});
  const std::string rows = g.node("Slice", {table, zero, steps, zero});
  return {g.node("Add", {x.name, rows}), x.rank};
}

}  // namespace

void add_embedding_ops(OpTables& t) {
  t.exporters["Embedding"] = export_embedding;
  t.importers["Gather"] = import_gather;
  t.importers["Cast"] = import_cast;
  t.exporters["LearnedPositionalEncoding"] = export_positional;
  t.exporters["SinusoidalPositionalEncoding"] = export_positional;
}

}  // namespace myelin::onnx_io
