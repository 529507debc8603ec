// The payment flow the fake simulates: pre_checkout_query → answer → successful_payment message
// (unique charge id) → optional refund with a refunded_payment message; Star transactions.
// All functions need impl.mu held.
#pragma once

#include <string_view>
#include <vector>

#include "sandbox/fake_telegram/impl.hpp"

namespace kb::sandbox::tg {

// The user taps Pay: records the payment and queues the pre_checkout_query update.
PaymentRecord& start_payment_locked(FakeTelegram::Impl& impl, const User& user,
                                    const InvoiceRecord& invoice);
PaymentRecord* find_payment_locked(FakeTelegram::Impl& impl,
                                   std::string_view pre_checkout_query_id);
void set_payment_state_locked(FakeTelegram::Impl& impl, PaymentRecord& payment, PaymentState state);
// ok=true in time: charge ids and the successful_payment message in the user's chat.
void complete_payment_locked(FakeTelegram::Impl& impl, PaymentRecord& payment);
void refund_payment_locked(FakeTelegram::Impl& impl, PaymentRecord& payment);
// StarTransaction objects in chronological order (payments in, refunds out).
std::vector<Json> star_transactions_locked(FakeTelegram::Impl& impl);

}  // namespace kb::sandbox::tg
