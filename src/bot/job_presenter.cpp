// Job texts and buttons.
#include "bot/job_presenter.hpp"

#include <fmt/format.h>

#include "bot/callback_data.hpp"
#include "core/money.hpp"

namespace kb::bot {
namespace {

Lang lang_of(const services::JobContext& c) { return c.language == "en" ? Lang::en : Lang::ru; }

std::string model_title(const services::JobContext& c) {
  if (!c.model) return html_escape(c.job.model_id);
  return html_escape(c.model->title.in(c.language));
}

std::string elapsed_of(const services::JobContext& c, std::int64_t end_ms) {
  return format_elapsed(std::max<std::int64_t>(0, (end_ms - c.job.created_at) / 1000));
}

telegram::InlineButton button(const Texts& t, Lang lang, std::string_view key, std::string_view action,
                              std::vector<std::string> args = {}) {
  return telegram::InlineButton::callback(t.get(lang, key), encode_callback(action, args).value_or("1|h"));
}

}  // namespace

std::string format_elapsed(std::int64_t s) {
  if (s >= 3600) return fmt::format("{}:{:02d}:{:02d}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{}:{:02d}", s / 60, s % 60);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

services::View TextJobPresenter::progress(const services::JobContext& c, services::ProgressPhase phase,
                                          std::int64_t elapsed_seconds) {
  auto lang = lang_of(c);
  std::string_view key = "job.progress.queued";
  switch (phase) {
    case services::ProgressPhase::queued: key = "job.progress.queued"; break;
    case services::ProgressPhase::generating: key = "job.progress.generating"; break;
    case services::ProgressPhase::delayed: key = "job.progress.delayed"; break;
    case services::ProgressPhase::delivering: key = "job.progress.delivering"; break;
  }
  services::View v;
  v.text = texts_.get(lang, key, {{"model", model_title(c)}, {"elapsed", format_elapsed(elapsed_seconds)}});
  if (c.job.state == "created") {
    telegram::InlineKeyboard kb;
    kb.row({button(texts_, lang, "button.cancel_job", actions::job_cancel, {std::to_string(c.job.id)})});
    v.keyboard = kb;
  }
  return v;
}

services::View TextJobPresenter::done(const services::JobContext& c) {
  auto end = c.job.finished_at.value_or(c.job.updated_at);
  return {texts_.get(lang_of(c), "job.done", {{"model", model_title(c)}, {"elapsed", elapsed_of(c, end)}}), {}};
}

services::View TextJobPresenter::failed(const services::JobContext& c, services::JobFailure failure) {
  auto lang = lang_of(c);
  std::string money = c.job.is_free ? texts_.get(lang, "job.free_returned")
                      : c.job.price_kopecks > 0
                          ? texts_.get(lang, "job.money_returned", {{"price", format_rubles(c.job.price_kopecks) + " ₽"}})
                          : std::string();
  services::View v;
  v.text = texts_.get(lang, "job.failed." + std::string(services::job_failure_code(failure)),
                      {{"model", model_title(c)}, {"money", money}});
  telegram::InlineKeyboard kb;
  if (c.model) kb.row({button(texts_, lang, "button.retry", actions::job_retry, {std::to_string(c.job.id)})});
  kb.row({button(texts_, lang, "button.home", actions::home)});
  v.keyboard = kb;
  return v;
}

std::string TextJobPresenter::caption(const services::JobContext& c, int index, int total) {
  if (total <= 1) return texts_.get(lang_of(c), "job.caption", {{"model", model_title(c)}});
  return texts_.get(lang_of(c), "job.caption_many",
                    {{"model", model_title(c)}, {"index", std::to_string(index + 1)}, {"total", std::to_string(total)}});
}

services::View TextJobPresenter::result_actions(const services::JobContext& c) {
  auto lang = lang_of(c);
  services::View v;
  v.text = texts_.get(lang, "job.result_actions");
  telegram::InlineKeyboard kb;
  auto id = std::to_string(c.job.id);
  if (c.model) {
    kb.row({button(texts_, lang, "button.repeat", actions::job_retry, {id}),
            button(texts_, lang, "button.edit", actions::job_edit, {id})});
    kb.row({button(texts_, lang, "button.other_model", actions::other_model, {std::string(catalog::format_name(c.model->format))}),
            button(texts_, lang, "button.home", actions::home)});
  } else {
    kb.row({button(texts_, lang, "button.home", actions::home)});
  }
  v.keyboard = kb;
  return v;
}

services::View TextJobPresenter::result_link(const services::JobContext& c, const std::string& url, int index,
                                             int total) {
  return {texts_.get(lang_of(c), "job.result_link",
                     {{"url", html_escape(url)}, {"index", std::to_string(index + 1)}, {"total", std::to_string(total)}}),
          {}};
}

}  // namespace kb::bot
