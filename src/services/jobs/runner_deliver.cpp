// Delivering results: every output file, the right method per kind, an album when there are
// several; by URL first, uploading the bytes when Telegram refuses the URL, a link when the file is
// too large. Each file is recorded before it is sent (intent) and after (message id), so a crash
// never sends a file twice: an intent without a message id gets a link instead of a second file.
// Telegram trouble is waited out for a delivery window; only a refusal for good or the end of the
// window gives the job up and releases the money.
#include <algorithm>

#include "core/log.hpp"
#include "domain/job_state.hpp"
#include "services/jobs/runner_impl.hpp"
#include "telegram/errors.hpp"

namespace kb::services {

using domain::JobState;

namespace {

constexpr std::uint64_t kUploadLimit = 50ull << 20;  // Bot API multipart limit (cloud)
constexpr std::uint64_t kPhotoUploadLimit = 10ull << 20;
constexpr std::string_view kIntent = "sending";

telegram::MediaType media_type_for(catalog::OutputKind kind) {
  switch (kind) {
    case catalog::OutputKind::image: return telegram::MediaType::photo;
    case catalog::OutputKind::video: return telegram::MediaType::video;
    case catalog::OutputKind::audio: return telegram::MediaType::audio;
    case catalog::OutputKind::text: return telegram::MediaType::document;
  }
  return telegram::MediaType::document;
}

catalog::OutputKind kind_from_url(std::string_view url) {
  auto path = url.substr(0, url.find('?'));
  auto dot = path.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : std::string(path.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "mp4" || ext == "mov" || ext == "webm") return catalog::OutputKind::video;
  if (ext == "mp3" || ext == "wav" || ext == "ogg" || ext == "m4a" || ext == "flac") return catalog::OutputKind::audio;
  if (ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "webp" || ext == "gif") return catalog::OutputKind::image;
  return catalog::OutputKind::text;
}

std::string file_name_for(const store::Job& job, int index, std::string_view url) {
  auto path = url.substr(0, url.find('?'));
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  std::string ext = dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)
                        ? std::string(path.substr(dot))
                        : "";
  return "result-" + std::to_string(job.id) + "-" + std::to_string(index + 1) + ext;
}

// Telegram could not use our URL (fetch failed, wrong type, too large for URL sending).
bool url_refused(const Error& e) {
  auto kind = telegram::classify(e).kind;
  return kind == telegram::ErrorKind::url_content_rejected || kind == telegram::ErrorKind::file_too_big ||
         kind == telegram::ErrorKind::wrong_file_id || kind == telegram::ErrorKind::bad_request;
}

// Telegram answered with an error (or the request never left): nothing was posted to the chat.
bool definitely_not_sent(const Error& e) { return e.status != 0 || e.code == Errc::unavailable; }

// Telegram may take it later: 429, 5xx, no answer at all, or a token/URL problem an operator
// fixes. Anything else (a 400/403 the upload and link fallbacks could not get round) is final.
bool transient_send_error(const Error& e) {
  if (e.status == 0) return true;
  auto c = telegram::classify(e).error_class;
  return c == telegram::ErrorClass::retryable || c == telegram::ErrorClass::fatal;
}

// Where the delivery window starts: when the result was confirmed. An older instance during a
// rolling upgrade does not stamp it; the confirm time then keeps the window bounded.
std::int64_t result_available_at(const store::Job& job) {
  return job.succeeded_at.value_or(job.created_at);
}

}  // namespace

Task<void> JobRunner::Impl::deliver(store::Job job) {
  auto urls = stored_result_urls(job);
  if (urls.empty()) {
    co_await finish_failed(job, JobState::failed, JobFailure::generation_failed, "no result URLs stored");
    co_return;
  }
  auto cat = catalog();
  const catalog::Model* model = cat->find(job.model_id);
  auto language = co_await language_of(job.user_id);
  JobContext ctx{job, model, language};
  const int total = static_cast<int>(urls.size());

  auto done = co_await d.db.read<std::vector<store::Delivery>>(
      [&](store::Tx& tx) { return tx.jobs().deliveries(job.id); });
  if (!done) {
    co_await reschedule(job, now() + domain::delivery_retry_delay_ms(o.delivery, job.attempts), true);
    co_return;
  }
  std::vector<int> pending;
  std::vector<int> interrupted;  // an intent without a result: we may or may not have sent it
  for (int i = 0; i < total; ++i) {
    auto it = std::find_if(done->begin(), done->end(), [i](const store::Delivery& x) { return x.file_index == i; });
    if (it == done->end()) pending.push_back(i);
    else if (it->method == kIntent) interrupted.push_back(i);
  }
  if (!pending.empty() || !interrupted.empty())
    co_await show_progress(job, ProgressPhase::delivering, false);

  // Records the intent to send file i (after extending the lease: a send may take minutes). False
  // when this worker must stop: another one recorded it, the lease was lost, or the database
  // failed (then the job is rescheduled). Never a file sent without its intent on record.
  auto mark_intent = [&](int i) -> Task<bool> {
    if (!co_await keep_lease(job)) co_return false;
    auto now_ms = now();
    auto r = co_await d.db.transact<bool>([&](store::Tx& tx) {
      return tx.jobs().record_delivery(job.id, i, std::nullopt, kIntent, now_ms);
    });
    if (!r) {
      log::warn("job_delivery_intent_not_recorded", {{"job_id", job.id}, {"file", i}, {"error", r.error().message}});
      co_await reschedule(job, now_ms + domain::delivery_retry_delay_ms(o.delivery, job.attempts), true);
      co_return false;
    }
    co_return *r;
  };
  auto mark_sent = [&](int i, std::optional<std::int64_t> message_id, std::string method) -> Task<void> {
    auto now_ms = now();
    auto r = co_await d.db.transact<bool>([&](store::Tx& tx) {
      return tx.jobs().complete_delivery(job.id, i, message_id, method, now_ms);
    });
    if (!r) log::warn("job_delivery_not_recorded", {{"job_id", job.id}, {"file", i}, {"error", r.error().message}});
    count("kiebot_deliveries_total", "Delivered result files by method", {{"method", method}});
  };
  // A failure that ends this attempt. A refusal for good (the user blocked the bot, a request the
  // fallbacks could not fix) finishes the job and releases the money; Telegram trouble keeps the
  // result and retries with capped backoff until the delivery window has passed.
  auto handle_send_error = [&](const Error& e) -> Task<void> {
    const auto now_ms = now();
    if (telegram::recipient_unreachable(e)) {
      co_await d.db.transact<bool>([&](store::Tx& tx) { return tx.users().set_blocked(job.user_id, true, now_ms); });
      co_await finish_failed(job, JobState::failed, JobFailure::undeliverable, e.message,
                             Notice::user_unreachable);
      co_return;
    }
    if (!transient_send_error(e)) {
      log::warn("job_delivery_refused", {{"job_id", job.id}, {"error", e.describe()}});
      co_await finish_failed(job, JobState::failed, JobFailure::undeliverable, e.message);
      co_return;
    }
    auto retry_at = domain::delivery_retry_at(o.delivery, job.attempts, result_available_at(job), now_ms);
    if (!retry_at) {
      log::warn("job_delivery_given_up", {{"job_id", job.id}, {"attempts", job.attempts + 1}, {"error", e.describe()}});
      co_await finish_failed(job, JobState::failed, JobFailure::undeliverable, e.message);
      co_return;
    }
    log::warn("job_delivery_retry", {{"job_id", job.id}, {"attempts", job.attempts + 1}, {"error", e.describe()}});
    co_await reschedule(job, *retry_at, true);
  };

  auto forget_intent = [&](int i) -> Task<void> {
    co_await d.db.transact<bool>([&](store::Tx& tx) { return tx.jobs().forget_delivery(job.id, i); });
  };

  auto kind_of = [&](int i) { return model ? model->output : kind_from_url(urls[i]); };

  // Files whose first sending attempt was interrupted by a crash: a link, never a second file.
  for (int i : interrupted) {
    auto view = d.presenter.result_link(ctx, d.links.link_for(urls[i], file_name_for(job, i, urls[i])), i, total);
    telegram::SendMessage m{job.chat_id, view.text};
    m.reply_markup = view.keyboard;
    auto sent = co_await d.telegram.send_message(m);
    if (!sent) {
      co_await handle_send_error(sent.error());
      co_return;
    }
    co_await mark_sent(i, sent->message_id, "link_after_interruption");
  }

  // Several images or videos that were not started yet: one album (up to 10 per message).
  auto album_kind = pending.size() > 1 ? kind_of(pending.front()) : catalog::OutputKind::text;
  if (pending.size() > 1 && pending.size() == static_cast<std::size_t>(total) &&
      (album_kind == catalog::OutputKind::image || album_kind == catalog::OutputKind::video)) {
    std::vector<int> sent_in_albums;
    for (std::size_t start = 0; start < pending.size(); start += 10) {
      std::vector<int> chunk(pending.begin() + start, pending.begin() + std::min(pending.size(), start + 10));
      if (chunk.size() < 2) break;  // a single leftover goes alone below
      for (int i : chunk)
        if (!co_await mark_intent(i)) co_return;  // another worker is on it, or rescheduled
      telegram::SendMediaGroup group;
      group.chat_id = job.chat_id;
      for (int i : chunk) {
        telegram::InputMedia m;
        m.type = media_type_for(album_kind);
        m.media = telegram::InputFile::by_id_or_url(urls[i]);
        if (i == chunk.front()) m.caption = d.presenter.caption(ctx, i, total);
        group.media.push_back(std::move(m));
      }
      auto sent = co_await d.telegram.send_media_group(group);
      if (!sent) {
        log::info("job_album_refused", {{"job_id", job.id}, {"error", sent.error().message}});
        if (definitely_not_sent(sent.error())) {
          for (int i : chunk) co_await forget_intent(i);
        }
        if (!url_refused(sent.error())) {
          co_await handle_send_error(sent.error());
          co_return;
        }
        break;  // fall back to one file at a time (uploads)
      }
      for (std::size_t k = 0; k < chunk.size(); ++k) {
        std::optional<std::int64_t> mid;
        if (k < sent->size()) mid = (*sent)[k].message_id;
        co_await mark_sent(chunk[k], mid, "album_url");
        sent_in_albums.push_back(chunk[k]);
      }
    }
    std::erase_if(pending, [&](int i) {
      return std::find(sent_in_albums.begin(), sent_in_albums.end(), i) != sent_in_albums.end();
    });
  }

  for (int i : pending) {
    if (!co_await mark_intent(i)) co_return;  // another worker is on it, or rescheduled
    auto type = media_type_for(kind_of(i));
    telegram::SendMedia send;
    send.chat_id = job.chat_id;
    send.type = type;
    send.caption = d.presenter.caption(ctx, i, total);
    send.file = telegram::InputFile::by_id_or_url(urls[i]);
    auto sent = co_await d.telegram.send_media(send);
    std::string method = "url";
    bool as_link = false;
    if (!sent && url_refused(sent.error())) {
      // Telegram could not take the URL: fetch the bytes ourselves and upload them (streamed).
      net::ClientRequest get;
      get.url = urls[i];
      get.upstream = "results";
      get.timeout = std::chrono::minutes(10);
      auto stream = co_await d.http.open(get);
      if (stream && (*stream)->status() == 200) {
        auto size = (*stream)->content_length();
        bool too_big = size && *size > kUploadLimit;
        if (!too_big) {
          if (type == telegram::MediaType::photo && size && *size > kPhotoUploadLimit)
            send.type = telegram::MediaType::document;
          std::shared_ptr<net::ResponseStream> body(std::move(*stream));
          send.file = telegram::InputFile::from_stream(body, file_name_for(job, i, urls[i]),
                                                       body->headers().get_or("Content-Type"), size);
          sent = co_await d.telegram.send_media(send);
          method = "upload";
          // Telegram refused the bytes too (dimensions, type): nothing was posted, a link still
          // gets the result to the user.
          as_link = !sent && url_refused(sent.error());
        } else {
          as_link = true;
        }
      } else {
        as_link = true;
      }
      if (as_link) {
        method = "link";
        auto view = d.presenter.result_link(ctx, d.links.link_for(urls[i], file_name_for(job, i, urls[i])), i, total);
        telegram::SendMessage m{job.chat_id, view.text};
        m.reply_markup = view.keyboard;
        auto linked = co_await d.telegram.send_message(m);
        if (linked) {
          co_await mark_sent(i, linked->message_id, method);
          continue;
        }
        sent = fail(linked.error());
      }
    }
    if (!sent) {
      // Forget the intent only when Telegram definitely did not take the file; after an
      // ambiguous failure the retry sends a link instead of risking a second copy.
      if (definitely_not_sent(sent.error())) co_await forget_intent(i);
      co_await handle_send_error(sent.error());
      co_return;
    }
    co_await mark_sent(i, sent->message_id, method);
  }
  co_await finish_delivered(job);
}

}  // namespace kb::services
