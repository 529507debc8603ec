// The localized look of jobs (progress, result, failure) built from the locale files.
#pragma once

#include "bot/i18n.hpp"
#include "services/jobs/presenter.hpp"

namespace kb::bot {

class TextJobPresenter final : public services::JobPresenter {
 public:
  explicit TextJobPresenter(const Texts& texts) : texts_(texts) {}

  services::View progress(const services::JobContext& c, services::ProgressPhase phase,
                          std::int64_t elapsed_seconds) override;
  services::View done(const services::JobContext& c) override;
  services::View failed(const services::JobContext& c, services::JobFailure failure) override;
  std::string caption(const services::JobContext& c, int index, int total) override;
  services::View result_actions(const services::JobContext& c) override;
  services::View result_link(const services::JobContext& c, const std::string& url, int index, int total) override;

 private:
  const Texts& texts_;
};

// "1:05" for 65 seconds, "1:02:03" past an hour.
std::string format_elapsed(std::int64_t seconds);
// Escapes text for Telegram's HTML parse mode.
std::string html_escape(std::string_view text);

}  // namespace kb::bot
