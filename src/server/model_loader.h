// The ModelLoader the server gives the repository: TensorFlow SavedModels go
// to the TF backend (src/backend/tf) when it is part of the build; other
// platforms are reported as unsupported.
#pragma once

#include "repo/repository.h"

namespace stfs::server {

// `tags`: the MetaGraph tag set to load (TF Serving's --saved_model_tags).
ModelLoader MakeModelLoader(std::vector<std::string> tags = {"serve"});

}  // namespace stfs::server
