#include "kernels/kernel_tester.h"

#include <cmath>

namespace stfs::kernels::testing {

void ExpectTensorNear(const Tensor& got, const Tensor& want, double atol, double rtol) {
  ASSERT_EQ(DTypeName(got.dtype()), DTypeName(want.dtype()));
  ASSERT_EQ(got.shape().ToString(), want.shape().ToString());
  DispatchDType(want.dtype(), [&]<typename T>() {
    const T* g = got.data<T>();
    const T* w = want.data<T>();
    for (int64_t i = 0; i < want.NumElements(); ++i) {
      if constexpr (std::is_floating_point_v<T> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
        double gv = static_cast<double>(static_cast<float>(g[i]));
        double wv = static_cast<double>(static_cast<float>(w[i]));
        if constexpr (std::is_same_v<T, double>) { gv = g[i]; wv = w[i]; }
        if (std::isnan(wv)) {
          EXPECT_TRUE(std::isnan(gv)) << "element " << i << ": got " << gv << ", want NaN";
        } else if (std::isinf(wv)) {
          EXPECT_EQ(gv, wv) << "element " << i;
        } else {
          EXPECT_LE(std::abs(gv - wv), atol + rtol * std::abs(wv))
              << "element " << i << ": got " << gv << ", want " << wv;
        }
      } else if constexpr (std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>) {
        EXPECT_LE(std::abs(g[i] - w[i]), atol + rtol * std::abs(w[i])) << "element " << i;
      } else if constexpr (std::is_same_v<T, ResourceHandle> || std::is_same_v<T, Variant>) {
        EXPECT_TRUE(g[i] == w[i]) << "element " << i;
      } else if constexpr (std::is_same_v<T, std::string>) {
        EXPECT_EQ(g[i], w[i]) << "element " << i;
      } else {
        EXPECT_EQ(static_cast<int64_t>(g[i]), static_cast<int64_t>(w[i])) << "element " << i;
      }
    }
  });
}

}  // namespace stfs::kernels::testing
