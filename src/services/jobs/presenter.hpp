// What the user sees of a job: progress texts, failure explanations, result captions and the
// buttons under them. The jobs runner decides *when*; the presenter decides *what* (localized).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "catalog/model.hpp"
#include "store/repos/jobs.hpp"
#include "telegram/keyboard.hpp"

namespace kb::services {

enum class ProgressPhase { queued, generating, delayed, delivering };

// Why a job ended without a result. Stored in the job row as failure_code (stable strings).
enum class JobFailure {
  generation_failed,   // the provider ran it and it failed
  rejected,            // the provider refused the request (inputs, content, model disabled)
  provider_problem,    // our provider account cannot serve it (credits, key): not the user's fault
  hard_limit,          // it took longer than the model's hard limit
  create_uncertain,    // we could not learn whether the provider accepted it; nothing came back
  media_unavailable,   // a user file could not be made available to the provider
  undeliverable,       // the result could not be sent to the chat
  invalid_inputs,      // the stored inputs no longer fit the model (catalog changed)
};
std::string_view job_failure_code(JobFailure failure);

struct View {
  std::string text;  // HTML
  std::optional<telegram::InlineKeyboard> keyboard;
};

struct JobContext {
  const store::Job& job;
  const catalog::Model* model;  // null when the model left the catalog
  std::string language;         // "ru" or "en"
};

class JobPresenter {
 public:
  virtual ~JobPresenter() = default;
  virtual View progress(const JobContext& c, ProgressPhase phase, std::int64_t elapsed_seconds) = 0;
  // Replaces the progress message when the result is delivered.
  virtual View done(const JobContext& c) = 0;
  // Replaces the progress message (or is sent) when the job failed: the reason, that the money was
  // returned, and a Retry button.
  virtual View failed(const JobContext& c, JobFailure failure) = 0;
  virtual std::string caption(const JobContext& c, int index, int total) = 0;
  // After the result: Repeat, Edit inputs, another model, Home.
  virtual View result_actions(const JobContext& c) = 0;
  // A result too large for Telegram: a link instead of the file.
  virtual View result_link(const JobContext& c, const std::string& url, int index, int total) = 0;
};

}  // namespace kb::services
