// pre_checkout_query through the whole application: a wrong amount, currency or payload, or
// another user paying someone's invoice, is refused with ok=false and a reason; the exact invoice
// is accepted. Nothing is recorded or credited for the refused ones.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "security_rig.hpp"

namespace kb::security_test {
namespace {

class SecurityPreCheckout : public SecurityTest {
 protected:
  sandbox::tg::InvoiceRecord invoice_for(const User& u) {
    press(u, "1|tu");
    EXPECT_TRUE(press_prefix(u, "1|tsp|")) << "no Stars package button";
    auto invoice = telegram().last_invoice(u.id);
    EXPECT_TRUE(invoice);
    return invoice.value_or(sandbox::tg::InvoiceRecord{});
  }
  // Posts a pre_checkout_query as Telegram would (right webhook secret) and returns the bot's
  // answer (answerPreCheckoutQuery parameters).
  std::optional<sandbox::tg::ReceivedCall> pre_checkout(const User& from, const std::string& id,
                                                        const std::string& currency,
                                                        std::int64_t amount,
                                                        const std::string& payload) {
    nlohmann::json q;
    q["id"] = id;
    q["from"] = {{"id", from.id},
                 {"is_bot", false},
                 {"first_name", from.first_name},
                 {"language_code", "en"}};
    q["currency"] = currency;
    q["total_amount"] = amount;
    q["invoice_payload"] = payload;
    nlohmann::json update = {{"update_id", next_update_id_}, {"pre_checkout_query", q}};
    auto r = post_webhook(update.dump(), webhook_secret());
    EXPECT_EQ(r.status, 200);
    settle(next_update_id_++);
    for (const auto& c : telegram().calls("answerPreCheckoutQuery"))
      if (c.param("pre_checkout_query_id") == id) return c;
    return std::nullopt;
  }

  std::int64_t next_update_id_ = 910'000'001;
};
KB_SECURITY_BACKENDS(SecurityPreCheckout);

TEST_P(SecurityPreCheckout, WrongAmountCurrencyOrPayloadIsRefusedWithAReason) {
  auto alice = user("Alice");
  auto bob = user("Bob");
  auto invoice = invoice_for(alice);
  auto bobs = invoice_for(bob);
  ASSERT_EQ(invoice.currency, "XTR");
  ASSERT_GT(invoice.amount, 1);
  const auto ledger_before = count("ledger_entries");
  const auto payments_before = count("stars_payments");

  struct Case {
    const User* from;
    std::string currency;
    std::int64_t amount;
    std::string payload;
  };
  const std::vector<Case> refused = {
      {&alice, "XTR", invoice.amount - 1, invoice.payload},
      {&alice, "XTR", invoice.amount + 1, invoice.payload},
      {&alice, "XTR", 1, invoice.payload},
      {&alice, "XTR", 0, invoice.payload},
      {&alice, "XTR", -invoice.amount, invoice.payload},
      {&alice, "XTR", 9'000'000'000'000'000'000, invoice.payload},
      {&alice, "USD", invoice.amount, invoice.payload},
      {&alice, "xtr", invoice.amount, invoice.payload},
      {&alice, "", invoice.amount, invoice.payload},
      {&alice, "XTR", invoice.amount, invoice.payload + "x"},
      {&alice, "XTR", invoice.amount, invoice.payload.substr(0, invoice.payload.size() - 1)},
      {&alice, "XTR", invoice.amount, ""},
      {&alice, "XTR", invoice.amount, "'; DROP TABLE invoices; --"},
      {&alice, "XTR", invoice.amount, std::string(4096, 'k')},
      {&alice, "XTR", bobs.amount, bobs.payload},      // Bob's invoice, paid by Alice
      {&bob, "XTR", invoice.amount, invoice.payload},  // Alice's invoice, paid by Bob
  };
  int n = 0;
  for (const auto& c : refused) {
    auto id = fmt::format("forged-{}", ++n);
    auto answer = pre_checkout(*c.from, id, c.currency, c.amount, c.payload);
    ASSERT_TRUE(answer) << "no answer for case " << n;
    EXPECT_EQ(answer->json_param("ok"), false) << "case " << n;
    EXPECT_FALSE(answer->param("error_message").empty()) << "case " << n;
  }
  EXPECT_EQ(count("stars_payments"), payments_before);
  EXPECT_EQ(count("ledger_entries"), ledger_before);
  EXPECT_EQ(balance(alice.id), (store::Balance{0, 0}));
  EXPECT_EQ(balance(bob.id), (store::Balance{0, 0}));

  // The exact invoice, from its payer, is accepted: the refusals above are real decisions.
  auto answer = pre_checkout(alice, "genuine-1", "XTR", invoice.amount, invoice.payload);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->json_param("ok"), true);
  expect_ledger_consistent();
}

}  // namespace
}  // namespace kb::security_test
