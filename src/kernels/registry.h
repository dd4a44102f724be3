// The ONE explicit kernel table: TensorFlow op name -> factory.
//
// Adding an op: write the kernel in the family file (kernels/<family>.cc),
// declare its factory in the family header, add one row to registry.cc, add
// tests in <family>_test.cc. No static-initialiser registration anywhere.
#pragma once

#include <span>
#include <string_view>

#include "exec/op_kernel.h"

namespace stfs::kernels {

// Every registered kernel, sorted by op name (checked by a test).
std::span<const KernelRegistration> AllKernels();

// The registration for `op`, or nullptr.
const KernelRegistration* FindKernel(std::string_view op);

}  // namespace stfs::kernels
