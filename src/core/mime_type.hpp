// Whether a MIME type from outside (a Telegram message, chosen by the sender's client) is safe to
// store and to repeat in headers and upload requests.
#pragma once

#include <string_view>

namespace kb {

// A plain `type/subtype` of RFC 9110 token characters, at most 127 bytes: no parameters, no
// spaces, and never CR/LF/NUL (which would let it inject headers wherever it is repeated).
bool is_plain_mime_type(std::string_view mime);

}  // namespace kb
