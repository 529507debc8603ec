// Model table lookups and the translation of catalog models into what the fake checks.
#include "sandbox/fake_kie/model_table.hpp"

#include "catalog/load.hpp"

namespace kb::sandbox {

ModelTable ModelTable::any() {
  ModelTable table;
  table.accept_any_ = true;
  return table;
}

ModelTable::ModelTable(std::vector<FakeModel> models) : models_(std::move(models)) {}

bool ModelTable::accepts(std::string_view id) const {
  if (id.empty()) return false;
  return accept_any_ || find(id) != nullptr;
}

const FakeModel* ModelTable::find(std::string_view id) const {
  for (const auto& m : models_)
    if (m.id == id) return &m;
  return nullptr;
}

std::vector<FakeModel> models_from_catalog(const catalog::Catalog& catalog) {
  std::vector<FakeModel> out;
  for (const auto& model : catalog.models) {
    FakeModel m;
    m.id = model.id;
    m.output_kind = std::string(catalog::output_kind_name(model.output));
    for (const auto& input : model.inputs) {
      if (input.required) m.required_inputs.push_back(input.name);
      if (catalog::is_media(input.type)) m.media_inputs.push_back(input.name);
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<FakeModel>> models_from_shipped_catalog() {
  auto loaded = catalog::load_catalog(catalog::CatalogSource{});
  if (!loaded.ok()) {
    return fail(Errc::invalid_input,
                "shipped catalog: " + (loaded.errors.empty() ? "not loaded" : loaded.errors[0]));
  }
  return models_from_catalog(*loaded.catalog);
}

std::string guess_output_kind(std::string_view model_id) {
  auto has = [&](std::string_view word) { return model_id.find(word) != std::string_view::npos; };
  if (has("video") || has("sora") || has("kling") || has("hailuo") || has("seedance") ||
      has("avatar") || has("infinitalk") || has("veo"))
    return "video";
  if (has("speech") || has("audio") || has("sound") || has("elevenlabs") || has("suno") ||
      has("music"))
    return "audio";
  return "image";
}

}  // namespace kb::sandbox
