#pragma once
// Thread count for myelin's kernels and the BLAS underneath them.

namespace myelin {

/// Sets the number of threads used by kernels and BLAS (default: the cores present).
void set_num_threads(int n);
int num_threads();

}  // namespace myelin
