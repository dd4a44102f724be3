// Lookup table kernels: HashTableV2, MutableHashTableV2 (handle ops that
// create a LookupTable resource, see lookup_table.h), InitializeTableV2,
// InitializeTableFromTextFileV2, LookupTableFindV2, LookupTableSizeV2,
// LookupTableImportV2, LookupTableInsertV2, LookupTableRemoveV2,
// LookupTableExportV2.
//
// Tables live in OpContext::resources() keyed by (container, shared_name);
// an empty shared_name falls back to the node name (whether or not
// use_node_name_sharing is set: our plans compile one kernel per node per
// plan, so a per-kernel-instance name would give the init plan and the
// serving plan different tables). The handle is a scalar DT_RESOURCE tensor,
// like VarHandleOp's.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateHashTableV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateMutableHashTableV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateInitializeTableV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateInitializeTableFromTextFileV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableFindV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableSizeV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableImportV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableInsertV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableRemoveV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableExportV2(const KernelInit& init);

}  // namespace stfs::kernels
