// Registers POST /kie/callback/{token}: verify, hand the task id to the sink, answer at once.
#pragma once

#include "kie/callback_sink.hpp"
#include "kie/callback_verifier.hpp"
#include "net/router.hpp"

namespace kb::kie {

// Answers: 200 accepted (duplicates too), 400 no task id, 401 bad/missing/stale signature,
// 404 wrong token (the same body as an unknown path, so the route is not revealed; other methods
// on the path answer 404 as well), 413 body over the verifier's limit (1 MiB).
// `verifier` and `sink` must outlive the router.
void add_kie_callback_route(net::Router& router, CallbackVerifier& verifier, KieCallbackSink& sink);

}  // namespace kb::kie
