// backend::gemm_packed (the recurrent step's product on a matrix laid out once) against the
// plain backend::gemm on odd sizes (partial panels and row tiles), for both layouts of the
// packed operand and all three starting values (zero, bias row, accumulate); and the property
// the recurrent op relies on: splitting the rows changes no bit.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "backend/backend.hpp"
#include "myelin/random.hpp"

namespace myelin {
namespace {

struct PackedCase {
  int64_t m, n, k;
};

std::vector<float> random_vector(int64_t n, Generator& gen) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = gen.uniform() - 0.5f;
  return v;
}

class BackendPackedGemm : public ::testing::TestWithParam<PackedCase> {};

TEST_P(BackendPackedGemm, MatchesPlainGemm) {
  const auto [m, n, k] = GetParam();
  Generator gen(11);
  const int64_t lda = k + 3, ldc = n + 2;
  const std::vector<float> a = random_vector(m * lda, gen), bias = random_vector(n, gen);
  const std::vector<float> start = random_vector(m * ldc, gen);
  for (bool trans : {false, true}) {
    const int64_t ldb = (trans ? k : n) + 1;  // b stored (n, k) when transposed, else (k, n)
    const std::vector<float> b = random_vector((trans ? n : k) * ldb, gen);
    const backend::PackedMatrix packed = backend::pack_matrix(trans, k, n, b.data(), ldb);
    for (int mode = 0; mode < 3; ++mode) {  // 0: c = a b, 1: c = bias + a b, 2: c += a b
      std::vector<float> expected = start, c = start;
      if (mode == 1)
        for (int64_t i = 0; i < m; ++i)
          std::copy(bias.begin(), bias.end(), expected.begin() + i * ldc);
      backend::gemm(false, trans, m, n, k, 1.f, a.data(), lda, b.data(), ldb, mode == 0 ? 0.f : 1.f,
                    expected.data(), ldc);
      backend::gemm_packed(m, a.data(), lda, packed, mode == 1 ? bias.data() : nullptr, mode == 2,
                           c.data(), ldc);
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < ldc; ++j) {
          const float want = j < n ? expected[i * ldc + j] : start[i * ldc + j];  // padding kept
          ASSERT_NEAR(c[i * ldc + j], want, 1e-5f * (k + 1))
              << "trans=" << trans << " mode=" << mode << " at (" << i << ", " << j << ")";
        }
      }
    }
  }
}

TEST_P(BackendPackedGemm, RowsComputedApartMatchBitForBit) {
  const auto [m, n, k] = GetParam();
  Generator gen(5);
  const std::vector<float> a = random_vector(m * k, gen), b = random_vector(k * n, gen);
  const backend::PackedMatrix packed = backend::pack_matrix(false, k, n, b.data(), n);
  std::vector<float> whole(static_cast<size_t>(m * n)), apart(whole.size());
  backend::gemm_packed(m, a.data(), k, packed, nullptr, false, whole.data(), n);
  for (int64_t i = 0; i < m; ++i)  // one row at a time: the smallest tile
    backend::gemm_packed(1, a.data() + i * k, k, packed, nullptr, false, apart.data() + i * n, n);
  EXPECT_EQ(whole, apart);
}

INSTANTIATE_TEST_SUITE_P(Shapes, BackendPackedGemm,
                         ::testing::Values(PackedCase{1, 1, 1}, PackedCase{3, 31, 5},
                                           PackedCase{8, 32, 7}, PackedCase{9, 33, 16},
                                           PackedCase{17, 70, 33}, PackedCase{32, 96, 64}));

TEST(BackendParallelRanges, CoversEveryRowOnce) {
  for (int64_t n : {0, 1, 7, 32, 33}) {
    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
    backend::parallel_ranges(n, 4, [&](int64_t begin, int64_t end) {
      EXPECT_LE(begin, end);
      for (int64_t i = begin; i < end; ++i) ++hits[static_cast<size_t>(i)];
    });
    for (int64_t i = 0; i < n; ++i) EXPECT_EQ(hits[static_cast<size_t>(i)].load(), 1) << "n=" << n;
  }
}

}  // namespace
}  // namespace myelin
