// Recurrent cells: the elementwise part of one time step, forward and backward side by side.
// Rows (batch entries) are independent; the recurrent op gives each thread its own rows for the
// whole sequence, so these loops run on one thread.
#include <algorithm>

#include "backend/backend.hpp"
#include "backend/cpu/fast_math.hpp"
#include "myelin/error.hpp"

namespace myelin::backend {

using cpu::fast_sigmoid;
using cpu::fast_tanh;

namespace {

// Runs row(r) for r in [0, b).
template <class Row>
void for_rows(int64_t b, Row row) {
  for (int64_t r = 0; r < b; ++r) row(r);
}

// The gate blocks of one row: gate k is p[k H, (k + 1) H).
template <class T>
struct Gates {
  T* p[4];
  Gates(T* row, int64_t H) : p{row, row + H, row + 2 * H, row + 3 * H} {}
  T* operator[](int k) const { return p[k]; }
};

}  // namespace

int64_t cell_gates(Cell cell) {
  switch (cell) {
    case Cell::Lstm: return 4;
    case Cell::Gru: return 3;
    default: return 1;
  }
}

int64_t cell_saved(Cell cell) { return cell == Cell::Lstm || cell == Cell::Gru ? 4 : 0; }

void cell_forward(Cell cell, const float* gx, const float* gh, const float* h_prev,
                  const float* c_prev, float* h, float* c, float* saved, int64_t b,
                  int64_t hidden) {
  const int64_t H = hidden, G = cell_gates(cell) * H, S = cell_saved(cell) * H;
  switch (cell) {
    case Cell::RnnTanh:
    case Cell::RnnRelu: {
      const bool use_tanh = cell == Cell::RnnTanh;
      for_rows(b, [=](int64_t r) {
        const float *x = gx + r * G, *y = gh + r * G;
        float* o = h + r * H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
          const float a = x[j] + y[j];
          o[j] = use_tanh ? fast_tanh(a) : (a < 0.f ? 0.f : a);
        }
      });
      return;
    }
    case Cell::Lstm:
      // gx, gh: (b, 4H) as [i | f | g | o]; saved: the same layout, activated.
      for_rows(b, [=](int64_t r) {
        const Gates<const float> x(gx + r * G, H), y(gh + r * G, H);
        const Gates<float> s(saved + r * S, H);
        const float* cp = c_prev + r * H;
        float *hr = h + r * H, *cr = c + r * H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
          const float i = fast_sigmoid(x[0][j] + y[0][j]);
          const float f = fast_sigmoid(x[1][j] + y[1][j]);
          const float g = fast_tanh(x[2][j] + y[2][j]);
          const float o = fast_sigmoid(x[3][j] + y[3][j]);
          const float cn = f * cp[j] + i * g;
          s[0][j] = i;
          s[1][j] = f;
          s[2][j] = g;
          s[3][j] = o;
          cr[j] = cn;
          hr[j] = o * fast_tanh(cn);
        }
      });
      return;
    case Cell::Gru:
      // gx, gh: (b, 3H) as [r | z | n]; saved: [r | z | n | gh_n].
      for_rows(b, [=](int64_t r) {
        const Gates<const float> x(gx + r * G, H), y(gh + r * G, H);
        const Gates<float> s(saved + r * S, H);
        const float* hp = h_prev + r * H;
        float* hr = h + r * H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
          const float rg = fast_sigmoid(x[0][j] + y[0][j]);
          const float z = fast_sigmoid(x[1][j] + y[1][j]);
          const float n = fast_tanh(x[2][j] + rg * y[2][j]);
          s[0][j] = rg;
          s[1][j] = z;
          s[2][j] = n;
          s[3][j] = y[2][j];
          hr[j] = (1.f - z) * n + z * hp[j];
        }
      });
      return;
  }
  throw Error("cell_forward: unknown cell");
}

void cell_backward(Cell cell, const float* saved, const float* h_prev, const float* c_prev,
                   const float* h, const float* c, const float* dh, float* dc, float* dgx,
                   float* dgh, float* dh_prev, int64_t b, int64_t hidden) {
  const int64_t H = hidden, G = cell_gates(cell) * H, S = cell_saved(cell) * H;
  switch (cell) {
    case Cell::RnnTanh:
    case Cell::RnnRelu: {
      const bool use_tanh = cell == Cell::RnnTanh;
      for_rows(b, [=](int64_t r) {
        const float *y = h + r * H, *d = dh + r * H;
        float *o = dgx + r * G, *dp = dh_prev + r * H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
          o[j] = d[j] * (use_tanh ? 1.f - y[j] * y[j] : (y[j] > 0.f ? 1.f : 0.f));
          dp[j] = 0.f;
        }
      });
      return;
    }
    case Cell::Lstm:
      for_rows(b, [=](int64_t r) {
        const float *s = saved + r * S, *cp = c_prev + r * H, *cr = c + r * H, *d = dh + r * H;
        float *dcr = dc + r * H, *o = dgx + r * G, *dp = dh_prev + r * H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
          const float i = s[j], f = s[H + j], g = s[2 * H + j], og = s[3 * H + j];
          const float tc = fast_tanh(cr[j]);
          const float dcc = dcr[j] + d[j] * og * (1.f - tc * tc);
          o[j] = dcc * g * i * (1.f - i);
          o[H + j] = dcc * cp[j] * f * (1.f - f);
          o[2 * H + j] = dcc * i * (1.f - g * g);
          o[3 * H + j] = d[j] * tc * og * (1.f - og);
          dcr[j] = dcc * f;
          dp[j] = 0.f;
        }
      });
      return;
    case Cell::Gru:
      for_rows(b, [=](int64_t r) {
        const float *s = saved + r * S, *hp = h_prev + r * H, *d = dh + r * H;
        float *ox = dgx + r * G, *oh = dgh + r * G, *dp = dh_prev + r * H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
          const float rg = s[j], z = s[H + j], n = s[2 * H + j], ghn = s[3 * H + j];
          const float dn = d[j] * (1.f - z) * (1.f - n * n);
          const float dr = dn * ghn * rg * (1.f - rg);
          const float dz = d[j] * (hp[j] - n) * z * (1.f - z);
          ox[j] = oh[j] = dr;
          ox[H + j] = oh[H + j] = dz;
          ox[2 * H + j] = dn;
          oh[2 * H + j] = dn * rg;
          dp[j] = d[j] * z;
        }
      });
      return;
  }
  throw Error("cell_backward: unknown cell");
}

}  // namespace myelin::backend
