// The wizard's media step: a user's message → the values of a catalog media input ("kbmedia:<id>"
// references to files saved in media_refs, or the user's own http(s) links), or the structured
// refusal the conversation layer localizes (wrong kind, sticker, album, too big…). Files above
// what can be fetched later (the Bot API's 20 MB download limit on the cloud, none with a --local
// server; the model's own max_mb) are refused here, at input time, not when the provider fails.
// Signed URLs or uploads are made only when the job is submitted (MediaResolver).
#pragma once

#include <cstdint>
#include <variant>

#include "catalog/input_value.hpp"
#include "catalog/model.hpp"
#include "core/result.hpp"
#include "store/tx.hpp"
#include "telegram/media.hpp"
#include "telegram/types.hpp"

namespace kb::services {

// The largest file the bot can download: 20 MB on the cloud Bot API, unlimited in local mode.
std::int64_t download_limit(bool telegram_local_mode);

// What a media input accepts: its kind, min(max_mb, download limit), albums/several links when
// the input is an array of more than one item. Errc::invalid_input for a non-media input.
Result<telegram::MediaRequirement> media_requirement(const catalog::Input& input,
                                                     bool telegram_local_mode);

struct AcceptedMediaInput {
  catalog::MediaUrls values;      // one per accepted item, in order
  telegram::AcceptedMedia media;  // what was accepted (kinds, sizes, forwarded, album id)
};
using MediaInputOutcome = std::variant<AcceptedMediaInput, telegram::MediaRejection>;

// Pure decision (no storage): accept_media against media_requirement(input).
Result<telegram::MediaDecision> check_media_input(const telegram::Message& message,
                                                  const catalog::Input& input,
                                                  bool telegram_local_mode);

// Saves accepted files with MediaRefs::put (links are kept as they are) and returns the values.
Result<catalog::MediaUrls> store_accepted_media(store::Tx& tx,
                                                const telegram::AcceptedMedia& accepted,
                                                std::int64_t now_ms);

// Both, inside the caller's transaction (the wizard's state change commits with the reference).
Result<MediaInputOutcome> take_media_input(store::Tx& tx, const telegram::Message& message,
                                           const catalog::Input& input, bool telegram_local_mode,
                                           std::int64_t now_ms);

}  // namespace kb::services
