// Recurrent layers over a whole sequence as one op (forward and BPTT backward side by side).
//
// Letters: T steps, B batch rows, I input features, H hidden units, G = gates * H gate values,
// S = saved values per row and step, b = the rows of one thread's range. Step s of the loop is
// time t = s (or T-1-s in reverse).
#include <algorithm>
#include <cstring>
#include <vector>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin {

using autograd::Grads;
using autograd::record;
using backend::Cell;

namespace {

Cell backend_cell(RecurrentCell c) {
  switch (c) {
    case RecurrentCell::RnnTanh: return Cell::RnnTanh;
    case RecurrentCell::RnnRelu: return Cell::RnnRelu;
    case RecurrentCell::Lstm: return Cell::Lstm;
    case RecurrentCell::Gru: return Cell::Gru;
  }
  throw Error("recurrent: unknown cell");
}

void expect_shape(const Tensor& t, const Shape& shape, const char* what) {
  if (t.defined() && t.shape() != shape)
    throw ShapeError(std::string("recurrent: ") + what + " has shape " + to_string(t.shape()) +
                     ", expected " + to_string(shape));
}

// Rows (n, width) all equal to `bias` (or zeros when null).
void fill_rows(float* out, int64_t n, int64_t width, const float* bias) {
  if (!bias) {
    std::fill_n(out, n * width, 0.f);
    return;
  }
  for (int64_t r = 0; r < n; ++r) std::memcpy(out + r * width, bias, sizeof(float) * width);
}

// The product in every step of the recurrence: y (b, n) = x (b, k) @ op(w) (k, n) + (accumulate ?
// y : bias, or 0 when null). A sequence lays op(w) out once for all its steps; a single step (as in
// generation, one token at a time) multiplies directly, as laying out w would cost more than it
// saves.
class StepProduct {
 public:
  StepProduct(bool trans, int64_t k, int64_t n, const float* w, int64_t steps)
      : trans_(trans), k_(k), n_(n), w_(w) {
    if (steps > 1) packed_ = backend::pack_matrix(trans, k, n, w, trans ? k : n);
  }
  void operator()(int64_t b, const float* x, const float* bias, bool accumulate, float* y) const {
    if (packed_.panels.defined()) {
      backend::gemm_packed(b, x, k_, packed_, bias, accumulate, y, n_);
      return;
    }
    if (!accumulate) fill_rows(y, b, n_, bias);
    backend::gemm(false, trans_, b, n_, k_, 1.f, x, k_, w_, trans_ ? k_ : n_, 1.f, y, n_);
  }

 private:
  bool trans_;
  int64_t k_, n_;
  const float* w_;
  backend::PackedMatrix packed_;
};

// Rows per thread below which a recurrent layer runs its batch on one thread.
constexpr int64_t kMinRowsPerThread = 4;

Tensor contiguous_or_zeros(const Tensor& t, const Shape& shape) {
  return t.defined() ? t.detach().contiguous() : Tensor::zeros(shape);
}

}  // namespace

RecurrentResult recurrent(RecurrentCell kind, const Tensor& x, const Tensor& h0, const Tensor& c0,
                          const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                          const Tensor& b_hh, bool reverse) {
  const Cell cell = backend_cell(kind);
  const bool lstm = cell == Cell::Lstm, gru = cell == Cell::Gru;
  if (x.dim() != 3 || x.size(0) < 1 || x.size(1) < 1)
    throw ShapeError("recurrent: input must be (T, B, I) with T, B >= 1, got " + to_string(x.shape()));
  if (w_hh.dim() != 2 || w_hh.size(0) != backend::cell_gates(cell) * w_hh.size(1))
    throw ShapeError("recurrent: weight_hh has shape " + to_string(w_hh.shape()) + ", expected (" +
                     std::to_string(backend::cell_gates(cell)) + " * hidden, hidden)");
  const int64_t T = x.size(0), B = x.size(1), I = x.size(2), H = w_hh.size(1);
  const int64_t G = w_hh.size(0), S = backend::cell_saved(cell) * H;
  expect_shape(w_ih, {G, I}, "weight_ih");
  expect_shape(b_ih, {G}, "bias_ih");
  expect_shape(b_hh, {G}, "bias_hh");
  expect_shape(h0, {B, H}, "initial hidden state");
  expect_shape(c0, {B, H}, "initial cell state");
  if (c0.defined() && !lstm) throw Error("recurrent: only an LSTM takes an initial cell state");

  const Tensor xc = x.detach().contiguous(), wih = w_ih.detach().contiguous();
  const Tensor whh = w_hh.detach().contiguous();
  const Tensor bih = b_ih.defined() ? b_ih.detach().contiguous() : Tensor();
  const Tensor bhh = b_hh.defined() ? b_hh.detach().contiguous() : Tensor();
  const Tensor h0c = contiguous_or_zeros(h0, {B, H});
  const Tensor c0c = lstm ? contiguous_or_zeros(c0, {B, H}) : Tensor();

  // gx (T B, G) = x (T B, I) @ w_ih^T + b_ih: every step's input projection in one GEMM.
  Tensor gx = Tensor::empty({T, B, G});
  fill_rows(gx.data(), T * B, G, bih.defined() ? bih.data() : nullptr);
  backend::gemm(false, true, T * B, G, I, 1.f, xc.data(), I, wih.data(), I, 1.f, gx.data(), G);

  // packed: the outputs (T, B, H), then for an LSTM the final cell state as entry T.
  Tensor packed = Tensor::empty({lstm ? T + 1 : T, B, H});
  Tensor cells = lstm ? Tensor::empty({T, B, H}) : Tensor();  // c after each step
  Tensor saved = Tensor::empty({T, B, S});
  float* out = packed.data();
  const auto time = [T, reverse](int64_t s) { return reverse ? T - 1 - s : s; };
  // Each batch row is its own chain through time: threads take ranges of rows for the whole
  // sequence, and every step multiplies by w_hh^T laid out once.
  const StepProduct hidden_projection(true, H, G, whh.data(), T);
  backend::parallel_ranges(B, kMinRowsPerThread, [&](int64_t r0, int64_t r1) {
    const int64_t b = r1 - r0;
    std::vector<float> gh(static_cast<size_t>(b * G));  // this step's hidden projection
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = time(s), tp = time(s - 1);
      const float* hp = (s == 0 ? h0c.data() : out + tp * B * H) + r0 * H;
      const float* cp = !lstm ? nullptr : (s == 0 ? c0c.data() : cells.data() + tp * B * H) + r0 * H;
      // gh (b, G) = h_prev (b, H) @ w_hh^T + b_hh
      hidden_projection(b, hp, bhh.defined() ? bhh.data() : nullptr, false, gh.data());
      backend::cell_forward(cell, gx.data() + (t * B + r0) * G, gh.data(), hp, cp,
                            out + (t * B + r0) * H, lstm ? cells.data() + (t * B + r0) * H : nullptr,
                            saved.data() + (t * B + r0) * S, b, H);
    }
  });
  if (lstm) std::memcpy(out + T * B * H, cells.data() + time(T - 1) * B * H, sizeof(float) * B * H);

  const bool need_x = x.requires_grad(), need_wih = w_ih.requires_grad();
  const bool need_whh = w_hh.requires_grad(), need_bih = b_ih.defined() && b_ih.requires_grad();
  const bool need_bhh = b_hh.defined() && b_hh.requires_grad();
  Tensor result = record(
      "recurrent", {x, h0, c0, w_ih, w_hh, b_ih, b_hh}, packed,
      [=, outs = autograd::saved(packed)](const Tensor& g) {
        const Tensor gc = g.contiguous();
        const float* hs = outs.data();  // the outputs h of every step
        Tensor dgx = Tensor::empty({T, B, G});
        Tensor dgh = gru ? Tensor::empty({T, B, G}) : dgx;  // equal for the other cells
        Tensor dh_carry = Tensor::zeros({B, H});  // dL/dh_prev from the later steps
        Tensor dc = lstm ? Tensor::empty({B, H}) : Tensor();
        if (lstm) std::memcpy(dc.data(), gc.data() + T * B * H, sizeof(float) * B * H);
        const StepProduct through_whh(false, G, H, whh.data(), T);
        backend::parallel_ranges(B, kMinRowsPerThread, [&](int64_t r0, int64_t r1) {
          const int64_t b = r1 - r0;
          std::vector<float> dh(static_cast<size_t>(b * H));  // dL/dh of the current step
          float* carry = dh_carry.data() + r0 * H;
          for (int64_t s = T - 1; s >= 0; --s) {
            const int64_t t = time(s), tp = time(s - 1);
            const float* hp = (s == 0 ? h0c.data() : hs + tp * B * H) + r0 * H;
            const float* cp =
                !lstm ? nullptr : (s == 0 ? c0c.data() : cells.data() + tp * B * H) + r0 * H;
            const float* g_out = gc.data() + (t * B + r0) * H;
            std::memcpy(dh.data(), g_out, sizeof(float) * b * H);
            backend::axpy(b * H, 1.f, carry, dh.data());
            float* dgx_t = dgx.data() + (t * B + r0) * G;
            float* dgh_t = gru ? dgh.data() + (t * B + r0) * G : dgx_t;
            backend::cell_backward(cell, saved.data() + (t * B + r0) * S, hp, cp,
                                   hs + (t * B + r0) * H,
                                   lstm ? cells.data() + (t * B + r0) * H : nullptr, dh.data(),
                                   lstm ? dc.data() + r0 * H : nullptr, dgx_t,
                                   gru ? dgh_t : nullptr, carry, b, H);
            // dh_prev (b, H) += dgh[t] (b, G) @ w_hh (G, H)
            through_whh(b, dgh_t, nullptr, true, carry);
          }
        });
        Tensor dx, dwih, dwhh, dbih, dbhh;
        if (need_x) {  // dx (T B, I) = dgx (T B, G) @ w_ih (G, I)
          dx = Tensor::empty({T, B, I});
          backend::gemm(false, false, T * B, I, G, 1.f, dgx.data(), G, wih.data(), I, 0.f,
                        dx.data(), I);
        }
        if (need_wih) {  // dw_ih (G, I) = dgx^T (G, T B) @ x (T B, I)
          dwih = Tensor::empty({G, I});
          backend::gemm(true, false, G, I, T * B, 1.f, dgx.data(), G, xc.data(), I, 0.f,
                        dwih.data(), I);
        }
        if (need_whh) {  // dw_hh (G, H) = sum over steps of dgh[t]^T @ h_prev(t)
          dwhh = Tensor::empty({G, H});
          const int64_t first = time(0);
          backend::gemm(true, false, G, H, B, 1.f, dgh.data() + first * B * G, G, h0c.data(), H,
                        0.f, dwhh.data(), H);
          // The other steps' h_prev are the outputs one step earlier in processing order: one
          // GEMM over the shifted, contiguous blocks.
          const float* dg_rest = dgh.data() + (reverse ? 0 : B * G);
          const float* h_rest = hs + (reverse ? B * H : 0);
          backend::gemm(true, false, G, H, (T - 1) * B, 1.f, dg_rest, G, h_rest, H, 1.f,
                        dwhh.data(), H);
        }
        if (need_bih) {
          dbih = Tensor::empty({G});
          backend::reduce_sum(dgx.data(), dbih.data(), 1, T * B, G);
        }
        if (need_bhh) {
          dbhh = Tensor::empty({G});
          backend::reduce_sum(dgh.data(), dbhh.data(), 1, T * B, G);
        }
        return Grads{dx, dh_carry, dc, dwih, dwhh, dbih, dbhh};
      });
  RecurrentResult r;
  r.output = lstm ? result.slice(0, 0, T) : result;
  r.h_n = result.select(0, reverse ? 0 : T - 1);
  if (lstm) r.c_n = result.select(0, T);
  return r;
}

}  // namespace myelin
