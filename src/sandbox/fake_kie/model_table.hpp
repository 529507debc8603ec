// The models the fake KIE server accepts, with their required and media inputs and output kind.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "core/result.hpp"
#include "sandbox/fake_kie/fake_kie_types.hpp"

namespace kb::sandbox {

class ModelTable {
 public:
  // A table that accepts every non-empty model id (no input checks).
  static ModelTable any();
  explicit ModelTable(std::vector<FakeModel> models);

  bool accepts_any() const { return accept_any_; }
  bool accepts(std::string_view id) const;
  // Null for an id outside the table (and always for an accept-any table).
  const FakeModel* find(std::string_view id) const;

 private:
  ModelTable() = default;
  bool accept_any_ = false;
  std::vector<FakeModel> models_;
};

// What KIE would check for each catalog model: its id, output kind, the inputs marked `required`
// and the inputs of a media type (image, video, audio). Disabled models are included: KIE does not
// know what the operator sells.
std::vector<FakeModel> models_from_catalog(const catalog::Catalog& catalog);
// The same for the catalog shipped in the binary; an error when it does not load.
Result<std::vector<FakeModel>> models_from_shipped_catalog();

// Output kind guessed from a model id when the table does not know it (video/audio/image).
std::string guess_output_kind(std::string_view model_id);

}  // namespace kb::sandbox
