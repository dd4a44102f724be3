#include "server/model_loader.h"

#include "backend/tf/tf_model.h"

namespace stfs::server {

ModelLoader MakeModelLoader(std::vector<std::string> tags) {
  return [tags](const std::string& version_dir,
            const std::string& platform) -> StatusOr<std::shared_ptr<Model>> {
    if (platform != "tensorflow") {
      return Unimplemented("platform '", platform, "' is not supported (only tensorflow ",
                           "SavedModels are served); cannot load ", version_dir);
    }
    TfLoadOptions options;
    options.tags = tags;
    auto model = TfModel::Load(version_dir, options);
    if (!model.ok()) return model.status();
    return std::shared_ptr<Model>(std::move(model).value());
  };
}

}  // namespace stfs::server
