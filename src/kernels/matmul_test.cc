// MatMul, BatchMatMul(V2), Einsum: expected values computed by hand.
#include <atomic>
#include <thread>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::ExpectTensorNear;
using testing::KernelTester;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, std::move(s)); }
Tensor I(std::vector<int32_t> v, Shape s) { return Tensor::FromVector<int32_t>(v, std::move(s)); }

// A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]]; A*B = [[58,64],[139,154]].
Tensor A() { return F({1, 2, 3, 4, 5, 6}, Shape{2, 3}); }
Tensor B() { return F({7, 8, 9, 10, 11, 12}, Shape{3, 2}); }
Tensor AB() { return F({58, 64, 139, 154}, Shape{2, 2}); }

TEST(MatMulTest, Transposes) {
  auto r = KernelTester("MatMul").Input(A()).Input(B()).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), AB());
  // A^T stored [3,2] with transpose_a; B^T stored [2,3] with transpose_b.
  Tensor at = F({1, 4, 2, 5, 3, 6}, Shape{3, 2});
  Tensor bt = F({7, 9, 11, 8, 10, 12}, Shape{2, 3});
  r = KernelTester("MatMul").Attr("transpose_a", true).Input(at).Input(B()).Run();
  ExpectTensorEq(r->at(0), AB());
  r = KernelTester("MatMul").Attr("transpose_b", true).Input(A()).Input(bt).Run();
  ExpectTensorEq(r->at(0), AB());
  r = KernelTester("MatMul").Attr("transpose_a", true).Attr("transpose_b", true).Input(at).Input(bt).Run();
  ExpectTensorEq(r->at(0), AB());
  r = KernelTester("MatMul").Input(I({1, 2, 3, 4, 5, 6}, Shape{2, 3})).Input(I({7, 8, 9, 10, 11, 12}, Shape{3, 2})).Run();
  ExpectTensorEq(r->at(0), I({58, 64, 139, 154}, Shape{2, 2}));
  auto d = KernelTester("MatMul").Input(Tensor::FromVector<double>({1, 2}, Shape{1, 2}))
               .Input(Tensor::FromVector<double>({3, 4}, Shape{2, 1})).Run();
  ExpectTensorEq(d->at(0), Tensor::FromVector<double>({11}, Shape{1, 1}));
  EXPECT_FALSE(KernelTester("MatMul").Input(A()).Input(A()).Run().ok());  // 3 != 2
}

TEST(MatMulTest, LargeMatchesClosedForm) {
  // A[i,k] = 1, B[k,j] = j: C[i,j] = K * j. Big enough to split across the pool.
  const int m = 200, k = 300, n = 64;
  std::vector<float> a(m * k, 1.f), b(k * n);
  for (int p = 0; p < k; ++p)
    for (int j = 0; j < n; ++j) b[p * n + j] = j;
  std::vector<float> want(m * n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) want[i * n + j] = static_cast<float>(k * j);
  auto r = KernelTester("MatMul").Input(F(a, Shape{m, k})).Input(F(b, Shape{k, n})).Run();
  ExpectTensorNear(r->at(0), F(want, Shape{m, n}), 0, 1e-6);
  // GEMV shape [1,784]x[784,128] split by columns.
  std::vector<float> x(784, 0.5f), w(784 * 128);
  for (int p = 0; p < 784; ++p)
    for (int j = 0; j < 128; ++j) w[p * 128 + j] = (j % 3) - 1.f;
  std::vector<float> y(128);
  for (int j = 0; j < 128; ++j) y[j] = 392.f * ((j % 3) - 1.f);
  r = KernelTester("MatMul").Input(F(x, Shape{1, 784})).Input(F(w, Shape{784, 128})).Run();
  ExpectTensorNear(r->at(0), F(y, Shape{1, 128}), 1e-4, 1e-6);
}

TEST(MatMulTest, ConcurrentCallsAreIndependent) {
  // Requests run kernels concurrently; OpenBLAS must not share state between calls.
  // Thread t multiplies ones[64,128] by (t+1)*ones[128,64]: every output is 128*(t+1).
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &bad] {
      for (int iter = 0; iter < 20; ++iter) {
        auto r = KernelTester("MatMul").Input(F(std::vector<float>(64 * 128, 1.f), Shape{64, 128}))
                     .Input(F(std::vector<float>(128 * 64, t + 1.f), Shape{128, 64})).Run();
        if (!r.ok()) { ++bad; continue; }
        for (float v : r->at(0).flat<float>()) bad += v != 128.f * (t + 1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST(BatchMatMulTest, BroadcastAndAdjoint) {
  // x: [2,1,2] = batch of row vectors [1,2], [3,4]; y: [2,1] broadcast.
  Tensor x = F({1, 2, 3, 4}, Shape{2, 1, 2});
  Tensor y = F({10, 1}, Shape{2, 1});
  auto r = KernelTester("BatchMatMulV2").Input(x).Input(y).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), F({12, 34}, Shape{2, 1, 1}));
  // adj_x: x^T of [2,2,1] -> rows; [1,2]^T stored as column.
  r = KernelTester("BatchMatMulV2").Attr("adj_x", true).Input(F({1, 2, 3, 4}, Shape{2, 2, 1})).Input(y).Run();
  ExpectTensorEq(r->at(0), F({12, 34}, Shape{2, 1, 1}));
  // Batch broadcasting [2,1,1,2] x [3,2,1] -> [2,3,1,1].
  r = KernelTester("BatchMatMulV2").Input(F({1, 0, 0, 1}, Shape{2, 1, 1, 2}))
          .Input(F({1, 2, 3, 4, 5, 6}, Shape{3, 2, 1})).Run();
  ExpectTensorEq(r->at(0), F({1, 3, 5, 2, 4, 6}, Shape{2, 3, 1, 1}));
  // V1 requires equal batch dims.
  EXPECT_FALSE(KernelTester("BatchMatMul").Input(x).Input(F({1, 2}, Shape{1, 2, 1})).Run().ok());
  r = KernelTester("BatchMatMul").Attr("adj_y", true).Input(x).Input(F({1, 1, 2, 2}, Shape{2, 1, 2})).Run();
  ExpectTensorEq(r->at(0), F({3, 14}, Shape{2, 1, 1}));
}

TEST(EinsumTest, BertPatterns) {
  auto run = [](const char* eq, Tensor a, Tensor b) {
    auto r = KernelTester("Einsum").Attr("equation", eq).Input(std::move(a)).Input(std::move(b)).Run();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->at(0) : Tensor();
  };
  ExpectTensorEq(run("ab,bc->ac", A(), B()), AB());
  // "abc,cd->abd" with a=1: the plain product.
  ExpectTensorEq(run("abc,cd->abd", F({1, 2, 3, 4, 5, 6}, Shape{1, 2, 3}), B()), F({58, 64, 139, 154}, Shape{1, 2, 2}));
  // "abc,abd->acd": per batch a, x^T y. x = [[1],[2]] (b=2,c=1), y = [[3],[4]] -> 1*3 + 2*4 = 11.
  ExpectTensorEq(run("abc,abd->acd", F({1, 2}, Shape{1, 2, 1}), F({3, 4}, Shape{1, 2, 1})), F({11}, Shape{1, 1, 1}));
  // Output permutation "ab,bc->ca" = (AB)^T.
  ExpectTensorEq(run("ab,bc->ca", A(), B()), F({58, 139, 64, 154}, Shape{2, 2}));
  // Attention-style "BTNH,BFNH->BNFT" with B=1,T=2,N=1,H=2,F=1: scores[t] = q[t].k.
  ExpectTensorEq(run("BTNH,BFNH->BNFT", F({1, 0, 0, 1}, Shape{1, 2, 1, 2}), F({5, 7}, Shape{1, 1, 1, 2})),
                 F({5, 7}, Shape{1, 1, 1, 2}));
  auto t = KernelTester("Einsum").Attr("equation", "ij->ji").Input(A()).Run();
  ExpectTensorEq(t->at(0), F({1, 4, 2, 5, 3, 6}, Shape{3, 2}));
  EXPECT_FALSE(KernelTester("Einsum").Attr("equation", "...ab,bc->...ac").Input(A()).Input(B()).Run().ok());
  EXPECT_FALSE(KernelTester("Einsum").Attr("equation", "ab,bc->ac").Input(A()).Input(A()).Run().ok());
}

}  // namespace
}  // namespace stfs::kernels
