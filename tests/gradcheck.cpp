#include "gradcheck.hpp"

#include <algorithm>
#include <cmath>

namespace myelin::testing {

GradInputs make_inputs(const GradCase& c, bool non_contiguous, uint64_t seed) {
  Generator gen(seed);
  GradInputs in;
  for (const Shape& shape : c.shapes) {
    const bool flip = non_contiguous && shape.size() >= 2;
    Shape stored = shape;
    if (flip) std::swap(stored[stored.size() - 1], stored[stored.size() - 2]);
    Tensor leaf = Tensor::empty(stored);
    float* p = leaf.data();
    const int64_t n = leaf.numel();
    for (int64_t i = 0; i < n; ++i) {
      switch (c.inputs) {
        case Inputs::Any: {
          const float u = 0.1f + 0.9f * gen.uniform();
          p[i] = gen.uniform() < 0.5f ? -u : u;
          break;
        }
        case Inputs::Positive: p[i] = 0.5f + 1.5f * gen.uniform(); break;
        case Inputs::Distinct: p[i] = 0.1f * static_cast<float>(i) - 0.05f * n; break;
      }
    }
    if (c.inputs == Inputs::Distinct)
      for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[gen.below(i + 1)]);
    leaf.requires_grad_();
    in.leaves.push_back(leaf);
    in.views.push_back(flip ? leaf.transpose(-1, -2) : leaf);
  }
  return in;
}

namespace {
double weighted_sum(const Tensor& y, const std::vector<float>& w) {
  const std::vector<float> v = y.to_vector();
  double s = 0;
  for (size_t i = 0; i < v.size(); ++i) s += static_cast<double>(v[i]) * w[i];
  return s;
}
}  // namespace

void check_gradients(const GradCase& c, bool non_contiguous) {
  GradInputs in = make_inputs(c, non_contiguous, 1234);
  Tensor y = c.fn(in.views);
  ASSERT_TRUE(y.requires_grad()) << c.name << ": output is not connected to the inputs";
  Generator wgen(99);
  std::vector<float> w(y.numel());
  for (float& v : w) v = wgen.uniform() * 2.f - 1.f;
  y.backward(Tensor::from_vector(w, y.shape()));

  const float eps = 1e-2f;
  NoGradGuard no_grad;
  for (size_t k = 0; k < in.leaves.size(); ++k) {
    Tensor& leaf = in.leaves[k];
    ASSERT_TRUE(leaf.grad().defined()) << c.name << ": input " << k << " got no gradient";
    ASSERT_EQ(leaf.grad().shape(), leaf.shape()) << c.name << ": gradient shape of input " << k;
    const std::vector<float> analytic = leaf.grad().to_vector();
    float* p = leaf.data();
    for (int64_t i = 0; i < leaf.numel(); ++i) {
      const float saved = p[i];
      p[i] = saved + eps;
      const double up = weighted_sum(c.fn(in.views), w);
      p[i] = saved - eps;
      const double down = weighted_sum(c.fn(in.views), w);
      p[i] = saved;
      const double numeric = (up - down) / (2.0 * eps);
      const double err = std::fabs(analytic[i] - numeric) / std::max(1.0, std::fabs(numeric));
      ASSERT_LE(err, c.tolerance) << c.name << (non_contiguous ? " (non-contiguous)" : "")
                                  << ": input " << k << " element " << i << " autograd "
                                  << analytic[i] << " numeric " << numeric;
    }
  }
}

}  // namespace myelin::testing
