// RNN, LSTM, GRU <-> ONNX's RNN, LSTM, GRU, one ONNX node per layer.
//
// ONNX stacks the directions' weights, orders the gates differently (LSTM i,o,f,c for
// PyTorch's i,f,g,o; GRU z,r,h for r,z,n) and outputs Y as (T, D, B, H) ((B, T, D, H) with
// layout 1), where myelin's layers give (T, B, D*H) ((B, T, D*H) batch-first): each exported
// layer is followed by the Squeeze or Transpose + Reshape that gives myelin's layout, and the
// importer reads those nodes as part of the layer. Batch-first layers are exported like
// PyTorch's exporter does, the op (layout 0) between Transposes to time-major and back, not
// with layout 1, which ONNX Runtime's CPU kernels refuse; the importer reads both.
#include <algorithm>

#include "myelin/error.hpp"
#include "onnx/op_table.hpp"

namespace myelin::onnx_io {
namespace {

using Ints = std::vector<int64_t>;

struct CellLayout {
  const char* type;  // myelin's and ONNX's op name (the same for all three)
  int64_t gates;
  Ints onnx_order;   // ONNX gate block j is PyTorch's block onnx_order[j]
};
const CellLayout kCells[] = {{"RNN", 1, {0}}, {"LSTM", 4, {0, 3, 1, 2}}, {"GRU", 3, {1, 0, 2}}};

const CellLayout& cell_of(const std::string& type) {
  for (const auto& c : kCells)
    if (type == c.type) return c;
  throw Error("ONNX: no recurrent cell '" + type + "'");
}

// Appends t's row blocks (gates blocks of `t.size(0) / gates` rows) to `out` in `order`.
void append_blocks(const Tensor& t, int64_t gates, const Ints& order, std::vector<float>& out) {
  const Tensor c = t.contiguous();
  const int64_t block = c.numel() / gates;
  for (int64_t j : order) out.insert(out.end(), c.data() + j * block, c.data() + (j + 1) * block);
}

// Swaps the batch and time axes of a sequence: (B, T, F) -> (T, B, F).
const Ints kSwapBatchAndTime{1, 0, 2};

// The nodes after Y that give myelin's layout: an optional Transpose, then a Squeeze of one
// axis or a Reshape to (0, 0, -1) that merges the directions.
struct Fixup {
  Ints perm;  // of the Transpose; empty: none
  const char* op;
  Ints operand;  // the Squeeze's axes or the Reshape's shape
};

// `transposed_input`: the op reads a Transpose (1, 0, 2) of a batch-first input (layout 0).
Fixup fixup_of(int64_t dirs, int64_t layout, bool transposed_input) {
  if (transposed_input) return {{2, 0, 1, 3}, "Reshape", {0, 0, -1}};  // (T, D, B, H) -> (B, T, D*H)
  if (dirs == 1) return {{}, "Squeeze", {layout ? 2 : 1}};
  return {layout ? Ints{} : Ints{0, 2, 1, 3}, "Reshape", {0, 0, -1}};
}

std::string describe(const Fixup& f) {
  const std::string op = std::string(f.op) + (f.operand.size() == 1 ? " of axis " + std::to_string(f.operand[0])
                                                                     : " to " + to_string(f.operand));
  return f.perm.empty() ? op : "Transpose " + to_string(f.perm) + " and " + op;
}

Ints inverse(const Ints& order) {
  Ints inv(order.size());
  for (size_t j = 0; j < order.size(); ++j) inv[static_cast<size_t>(order[j])] = static_cast<int64_t>(j);
  return inv;
}

Value export_recurrent(const Layer& l, const Value& x, ExportGraph& g) {
  const CellLayout& cell = cell_of(l.spec.type);
  const int64_t hidden = l.spec.get_int("hidden_size"), layers = l.spec.get_int("num_layers", 1);
  const int64_t dirs = l.spec.get_bool("bidirectional", false) ? 2 : 1;
  const bool batch_first = l.spec.get_bool("batch_first", false);
  const bool bias = l.spec.get_bool("bias", true);
  const Fixup fixup = fixup_of(dirs, 0, batch_first);
  Value v = x;
  for (int64_t k = 0; k < layers; ++k) {
    std::vector<float> w, r, b;
    for (int64_t d = 0; d < dirs; ++d) {
      const std::string suffix = "_l" + std::to_string(k) + (d ? "_reverse" : "");
      append_blocks(l.tensor("weight_ih" + suffix), cell.gates, cell.onnx_order, w);
      append_blocks(l.tensor("weight_hh" + suffix), cell.gates, cell.onnx_order, r);
      if (bias) {
        append_blocks(l.tensor("bias_ih" + suffix), cell.gates, cell.onnx_order, b);
        append_blocks(l.tensor("bias_hh" + suffix), cell.gates, cell.onnx_order, b);
      }
    }
    const int64_t rows = cell.gates * hidden, in = static_cast<int64_t>(w.size()) / (dirs * rows);
    const std::string stem = l.prefix + "onnx_", lk = "_l" + std::to_string(k);
    const std::string time_major = batch_first ? g.node("Transpose", {v.name}, {attr("perm", kSwapBatchAndTime)}) : v.name;
    std::vector<std::string> inputs{time_major, g.initializer(stem + "W" + lk, Tensor::from_vector(w, {dirs, rows, in})),
                                    g.initializer(stem + "R" + lk, Tensor::from_vector(r, {dirs, rows, hidden}))};
    if (bias) inputs.push_back(g.initializer(stem + "B" + lk, Tensor::from_vector(b, {dirs, 2 * rows})));
    std::vector<onnx::AttributeProto> attrs{attr("hidden_size", hidden),
                                            attr("direction", std::string(dirs == 2 ? "bidirectional" : "forward"))};
    if (l.spec.type == "GRU") attrs.push_back(attr("linear_before_reset", int64_t{1}));
    if (l.spec.get_string("nonlinearity", "tanh") == "relu")
      attrs.push_back(attr("activations", std::vector<std::string>(static_cast<size_t>(dirs), "Relu")));
    std::string y = g.node(cell.type, inputs, attrs);
    if (!fixup.perm.empty()) y = g.node("Transpose", {y}, {attr("perm", fixup.perm)});
    v = {g.node(fixup.op, {y, g.int64_constant(fixup.operand)}), 3};
  }
  return v;
}

// LastStep: the last entry along `dim`, a Gather of index -1 (keeping the axis), then a
// Squeeze of that axis unless `keepdim`.
Value export_last_step(const Layer& l, const Value& x, ExportGraph& g) {
  const int64_t dim = l.spec.get_int("dim");
  const std::string last = g.node("Gather", {x.name, g.int64_constant({-1})}, {attr("axis", dim)});
  if (l.spec.get_bool("keepdim", false)) return {last, x.rank};
  return {g.node("Squeeze", {last, g.int64_constant({dim})}), x.rank ? x.rank - 1 : 0};
}

// Reads the nodes after Y that give myelin's (T, B, D*H) or (B, T, D*H) layout.
void take_layout_fixup(ImportNode& n, const Fixup& fixup) {
  const std::string why = "output Y must be followed by " + describe(fixup) +
                          " (myelin's recurrent layers output the whole sequence as (T, B, directions * H), or "
                          "(B, T, directions * H) batch-first; of the states only Y_h of a one-direction layer "
                          "is read, and not after a Transpose)";
  if (n.node.output_size() == 0 || n.node.output(0).empty()) n.fail(why);
  const onnx::NodeProto* next = n.next_reading(n.node.output(0));
  if (!fixup.perm.empty()) {
    if (!next || next->op_type() != "Transpose" || next->attribute_size() != 1 ||
        Ints(next->attribute(0).ints().begin(), next->attribute(0).ints().end()) != fixup.perm)
      n.fail(why);
    n.take_next();
    next = n.next_reading(next->output(0));
  }
  if (!next || next->op_type() != fixup.op || next->input_size() != 2) n.fail(why);
  const Tensor got = n.constant_named(next->input(1));
  bool same = got.numel() == static_cast<int64_t>(fixup.operand.size());
  for (int64_t i = 0; same && i < got.numel(); ++i) same = got.data()[i] == float(fixup.operand[size_t(i)]);
  if (!same) n.fail(why);
  n.take_next();
}

// `transposed_input`: the op reads a Transpose (1, 0, 2) of a batch-first input, taken by
// import_batch_first_recurrent.
void read_recurrent(ImportNode& n, bool transposed_input) {
  const CellLayout& cell = cell_of(n.node.op_type());
  n.allow_attributes({"hidden_size", "direction", "layout", "activations", "linear_before_reset"});
  const std::string direction = n.attr_string("direction", "forward");
  if (direction != "forward" && direction != "bidirectional") n.fail("direction " + direction + " is not supported");
  const int64_t dirs = direction == "bidirectional" ? 2 : 1, layout = n.attr_int("layout", 0);
  if (layout != 0 && layout != 1) n.fail("layout " + std::to_string(layout) + " must be 0 or 1");
  if (transposed_input && layout != 0) n.fail("layout 1 after a Transpose (1, 0, 2) is not supported");
  if (cell.gates == 3 && n.attr_int("linear_before_reset", 0) != 1)
    n.fail("linear_before_reset must be 1 (PyTorch's GRU applies the reset gate after the product)");
  std::string nonlinearity = "tanh";
  const auto acts = n.attr_strings("activations");
  if (!acts.empty()) {
    const bool relu_rnn = cell.gates == 1 && acts[0] == "Relu";
    std::vector<std::string> want;
    for (int64_t d = 0; d < dirs; ++d) {
      if (cell.gates == 1) want.push_back(relu_rnn ? "Relu" : "Tanh");
      else if (cell.gates == 4) want.insert(want.end(), {"Sigmoid", "Tanh", "Tanh"});
      else want.insert(want.end(), {"Sigmoid", "Tanh"});
    }
    if (acts != want) n.fail("activations other than the defaults (or Relu for RNN) are not supported");
    if (relu_rnn) nonlinearity = "relu";
  }
  n.expect_input_rank(3, "a sequence (T, B, features), or (B, T, features) with layout 1");
  for (int i : {4, 5, 6, 7})
    if (n.has_input(i)) n.fail("input " + std::to_string(i) + " (sequence lengths, initial state or peepholes) is not supported");
  const Tensor w = n.constant(1), r = n.constant(2);
  const int64_t hidden = n.attr_int("hidden_size", r.dim() == 3 ? r.size(2) : 0);
  // R holds hidden * gates * hidden values: a larger hidden_size cannot fit (nor overflow below).
  if (hidden < 1 || hidden > r.numel())
    n.fail("hidden_size " + std::to_string(hidden) + " does not fit R " + to_string(r.shape()));
  const int64_t rows = cell.gates * hidden;
  if (w.dim() != 3 || w.size(0) != dirs || w.size(1) != rows || r.shape() != Shape{dirs, rows, hidden})
    n.fail("W " + to_string(w.shape()) + " and R " + to_string(r.shape()) + " do not fit hidden_size " +
           std::to_string(hidden) + " and " + std::to_string(dirs) + " direction(s)");
  const Tensor b = n.has_input(3) ? n.constant(3) : Tensor::zeros({dirs, 2 * rows});
  if (b.shape() != Shape{dirs, 2 * rows}) n.fail("B " + to_string(b.shape()) + " does not fit W");
  // The chain goes on from Y (with its layout fix-up) or, when nothing reads Y, from the last
  // state Y_h: the last step of myelin's output, (1, B, H) ((B, 1, H) with layout 1).
  const bool last_state = !n.next_reading(n.node.output(0)) && dirs == 1 && !transposed_input &&
                          n.node.output_size() > 1 && !n.node.output(1).empty();
  if (last_state) n.set_chain_output(1);
  else take_layout_fixup(n, fixup_of(dirs, layout, transposed_input));

  nn::ModuleSpec s = spec_of(cell.type);
  s.set("input_size", w.size(2));
  s.set("hidden_size", hidden);
  s.set("bidirectional", dirs == 2);
  s.set("batch_first", layout == 1 || transposed_input);
  if (cell.gates == 1) s.set("nonlinearity", nonlinearity);
  const Ints back = inverse(cell.onnx_order);
  std::map<std::string, Tensor> weights;
  for (int64_t d = 0; d < dirs; ++d) {
    const std::string suffix = std::string("_l0") + (d ? "_reverse" : "");
    std::vector<float> wd, rd, bi, bh;
    append_blocks(w.slice(0, d, d + 1), cell.gates, back, wd);
    append_blocks(r.slice(0, d, d + 1), cell.gates, back, rd);
    append_blocks(b.slice(0, d, d + 1).slice(1, 0, rows), cell.gates, back, bi);
    append_blocks(b.slice(0, d, d + 1).slice(1, rows, 2 * rows), cell.gates, back, bh);
    weights["weight_ih" + suffix] = Tensor::from_vector(wd, {rows, w.size(2)});
    weights["weight_hh" + suffix] = Tensor::from_vector(rd, {rows, hidden});
    weights["bias_ih" + suffix] = Tensor::from_vector(bi, {rows});
    weights["bias_hh" + suffix] = Tensor::from_vector(bh, {rows});
  }
  n.add_layer(s, weights);
  n.set_output_rank(3);
  if (last_state) {
    nn::ModuleSpec last = spec_of("LastStep");
    last.set("dim", layout);
    last.set("keepdim", true);
    n.add_layer(last);
  }
}

void import_recurrent(ImportNode& n) { read_recurrent(n, false); }

// Transpose (1, 0, 2) -> RNN/LSTM/GRU -> Transpose (2, 0, 1, 3) + Reshape: a batch-first layer
// as myelin exports it.
void import_batch_first_recurrent(ImportNode& n) {
  n.allow_attributes({"perm"});
  const onnx::NodeProto* next = n.node.output_size() == 1 ? n.next_reading(n.node.output(0)) : nullptr;
  const bool cell_next = next && std::any_of(std::begin(kCells), std::end(kCells),
                                             [&](const CellLayout& c) { return next->op_type() == c.type; });
  if (n.attr_ints("perm", {}) != kSwapBatchAndTime || !cell_next)
    n.fail("Transpose is read only as perm (1, 0, 2) before an RNN, LSTM or GRU (a batch-first recurrent layer)");
  n.expect_input_rank(3, "a batch-first sequence (B, T, features)");
  ImportNode op = n.next_node();
  read_recurrent(op, true);
  n.absorb(op);
}

}  // namespace

void add_recurrent_ops(OpTables& t) {
  for (const auto& c : kCells) {
    t.exporters[c.type] = export_recurrent;
    t.importers[c.type] = import_recurrent;
  }
  t.importers["Transpose"] = import_batch_first_recurrent;
  t.exporters["LastStep"] = export_last_step;
}

}  // namespace myelin::onnx_io
