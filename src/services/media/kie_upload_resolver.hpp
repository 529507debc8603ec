// MEDIA_MODE=kie_upload: each stored media reference is downloaded from Telegram and streamed into
// the provider's file upload API (bounded memory: the Telegram stream is the multipart source),
// and the provider's downloadUrl becomes the model input. Done when the job is submitted, since
// uploads expire (24 h to 3 days).
#pragma once

#include <string>
#include <vector>

#include "kie/kie_api.hpp"
#include "services/media/media_resolver.hpp"
#include "store/database.hpp"
#include "telegram/api.hpp"

namespace kb::services {

struct KieUploadOptions {
  std::string upload_path = "kiebot/user-media";  // provider folder (no leading/trailing '/')
  int attempts = 2;  // whole download+upload tries per file on transient failures
};

class KieUploadMediaResolver final : public MediaResolver {
 public:
  // Everything referenced must outlive the resolver.
  KieUploadMediaResolver(store::Database& db, telegram::TelegramApi& telegram, kie::KieApi& kie,
                         KieUploadOptions options = {});

  // "kbmedia:<id>" → the uploaded file's downloadUrl; an http(s) link → itself. Errors:
  // Errc::not_found (unknown reference or Telegram no longer has the file), Errc::unavailable
  // (Telegram, the provider or the database may work later: the runner retries),
  // Errc::upstream / invalid_input (refused for good).
  Task<Result<std::vector<std::string>>> resolve(std::vector<std::string> references) override;

 private:
  Task<Result<std::string>> upload_one(std::int64_t media_ref_id);
  Task<Result<std::string>> try_upload(const store::MediaRef& ref);

  store::Database& db_;
  telegram::TelegramApi& telegram_;
  kie::KieApi& kie_;
  KieUploadOptions options_;
};

}  // namespace kb::services
