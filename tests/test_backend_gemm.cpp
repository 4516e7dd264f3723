// backend::gemm against a plain triple loop, for every transpose flag and padded leading
// dimensions, including the one-row case that runs as a matrix-vector product.
#include <gtest/gtest.h>

#include <vector>

#include "backend/backend.hpp"
#include "myelin/random.hpp"

namespace myelin {
namespace {

struct GemmCase {
  int64_t m, n, k;
};

class BackendGemm : public ::testing::TestWithParam<GemmCase> {};

TEST_P(BackendGemm, MatchesNaiveProductForAllTransposeFlags) {
  const auto [m, n, k] = GetParam();
  Generator gen(7);
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      // Stored shapes: A is (m, k) or (k, m), B is (k, n) or (n, k); rows padded by 3.
      const int64_t lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 3, ldc = n + 2;
      std::vector<float> a((ta ? k : m) * lda), b((tb ? n : k) * ldb), c(m * ldc, 0.5f);
      for (float& v : a) v = gen.uniform() - 0.5f;
      for (float& v : b) v = gen.uniform() - 0.5f;
      std::vector<float> expected = c;
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          double s = 0;
          for (int64_t p = 0; p < k; ++p)
            s += double(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
          expected[i * ldc + j] = float(2.0 * s + 0.25 * expected[i * ldc + j]);
        }
      backend::gemm(ta, tb, m, n, k, 2.f, a.data(), lda, b.data(), ldb, 0.25f, c.data(), ldc);
      for (int64_t i = 0; i < m * ldc; ++i)
        ASSERT_NEAR(c[i], expected[i], 1e-4f) << "ta=" << ta << " tb=" << tb << " at " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, BackendGemm,
                         ::testing::Values(GemmCase{1, 7, 5}, GemmCase{1, 1, 9}, GemmCase{4, 6, 3},
                                           GemmCase{9, 1, 8}));

}  // namespace
}  // namespace myelin
