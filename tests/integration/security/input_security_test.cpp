// SQL metacharacters, NUL, very long strings, emoji and direction marks in every text a user can
// type (prompt, names, admin user search, adjustment reason, refund charge id, free limit,
// broadcast text, bank-transfer amount), through the whole application on both databases: each
// is data — stored and passed on byte for byte, or refused with a message — and afterwards every
// table exists, the counts are right and every wallet equals its ledger.
#include <fmt/format.h>

#include "security_rig.hpp"
#include "store/tx.hpp"

namespace kb::security_test {
namespace {

const std::vector<std::string>& hostile_texts() {
  static const std::vector<std::string> texts = {
      "'; DROP TABLE users; --",
      "Robert'); DELETE FROM ledger_entries WHERE ('1'='1",
      "\" OR \"1\"=\"1",
      "1; UPDATE wallets SET available = 999999999",
      "%",
      "_",
      "%_%",
      "\\",
      "\\'; SELECT pg_sleep(5); --",
      "$1 @ts(1) @for_update ?1",
      std::string("nul\0byte", 8),
      "😀🔥 emoji — ünïcödé ж",
      "\u202e\u200fRTL override\u200e\u202c",
      "<b>html</b> &amp; <script>alert(1)</script>",
  };
  return texts;
}

class SecurityInput : public SecurityTest {
 protected:
  // NUL cannot be stored in PostgreSQL text; whether it is refused, dropped or kept, the bot must
  // answer and nothing may break. Every other text must come back exactly.
  static bool exact_expected(const std::string& s) { return s.find('\0') == std::string::npos; }
};
KB_SECURITY_BACKENDS(SecurityInput);

TEST_P(SecurityInput, PromptsAreDataStoredAndSentExactly) {
  const auto users_before = count("users");
  auto alice = user("Alice");
  for (const auto& s : hostile_texts()) {
    command(alice, "start", "m-z-image");
    ASSERT_TRUE(press_prefix(alice, "1|ws|"));
    text(alice, s);
    auto st = state(alice);
    if (exact_expected(s)) {
      EXPECT_EQ(st.step, 1) << s;
      ASSERT_TRUE(st.values.contains("prompt")) << s;
      EXPECT_EQ(st.values["prompt"].get<std::string>(), s);
    }
  }
  // Longer than the input allows: refused with the reason, the user stays on the step.
  command(alice, "start", "m-z-image");
  ASSERT_TRUE(press_prefix(alice, "1|ws|"));
  text(alice, std::string(4000, 'x'));
  EXPECT_EQ(state(alice).step, 0);
  EXPECT_EQ(screen_id(alice), "wizard");
  // The hostile prompt goes all the way to the provider unchanged.
  auto job = start_job(alice, hostile_texts().front());
  ASSERT_TRUE(job.kie_task_id);
  auto task = kie().task(*job.kie_task_id);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->input.value("prompt", ""), hostile_texts().front());
  EXPECT_EQ(count("inbox", "status = 'dead'"), 0);
  EXPECT_EQ(count("users"), users_before + 1);
  expect_ledger_consistent();
}

TEST_P(SecurityInput, HostileNamesAndAdminInputsAreData) {
  const auto& texts = hostile_texts();
  // Users whose names are hostile (Telegram allows almost anything in a first name).
  std::vector<User> people;
  for (std::size_t i = 0; i < 4; ++i)
    people.push_back(user(texts[i], "en", fmt::format("user_{}_x", i)));
  for (const auto& p : people) {
    auto stored = store::test::must(db().read_blocking<std::optional<store::User>>(
        [&](store::Tx& tx) { return tx.users().get(p.id); }));
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->first_name, p.first_name);
  }
  const auto users_before = count("users");

  // Admin user search: every hostile text finds nobody (LIKE metacharacters match nothing).
  press(admin_, "1|ad");
  press(admin_, "1|au");
  for (const auto& s : texts) {
    text(admin_, s);
    EXPECT_EQ(screen_id(admin_), "admin_find") << s;
    text(admin_, "@" + s);
    EXPECT_EQ(screen_id(admin_), "admin_find") << s;
  }
  text(admin_, "@user_%_x");
  EXPECT_EQ(screen_id(admin_), "admin_find");
  // A real username still finds its user (the search works at all).
  text(admin_, "@user_0_x");
  ASSERT_EQ(screen_id(admin_), "admin_user");

  // Adjustment reasons are stored as the ledger note, exactly.
  for (const auto& s : texts) {
    if (!exact_expected(s)) continue;
    ASSERT_TRUE(press_prefix(admin_, "1|aua|")) << screen_id(admin_);
    text(admin_, "+1 " + s);
  }
  auto notes = store::test::must(db().read_blocking<std::vector<std::string>>(
      [&](store::Tx& tx) -> Result<std::vector<std::string>> {
        auto rows = KB_TRY(tx.connection().query(
            "SELECT note FROM ledger_entries WHERE user_id = $1 AND kind = 'adjustment' "
            "ORDER BY id",
            people[0].id));
        std::vector<std::string> out;
        for (const auto& r : rows) out.push_back(r.opt_text(0).value_or(""));
        return out;
      }));
  std::vector<std::string> expected_notes;
  for (const auto& s : texts)
    if (exact_expected(s)) expected_notes.push_back(s);
  EXPECT_EQ(notes, expected_notes);
  EXPECT_EQ(balance(people[0].id).available, static_cast<Kopecks>(expected_notes.size()) * 100);
  // A hostile amount moves nothing.
  ASSERT_TRUE(press_prefix(admin_, "1|aua|"));
  for (const auto& s : texts) text(admin_, s);
  EXPECT_EQ(balance(people[0].id).available, static_cast<Kopecks>(expected_notes.size()) * 100);

  // Refund by a typed charge id: nothing is found, Telegram is never asked.
  press(admin_, "1|ad");
  press(admin_, "1|ap");
  if (press_prefix(admin_, "1|apr")) {
    for (const auto& s : texts) text(admin_, s);
  }
  EXPECT_EQ(telegram().call_count("refundStarPayment"), 0u);
  // The free daily limit: hostile numbers change nothing.
  press(admin_, "1|ad");
  press(admin_, "1|am|0");
  if (press_prefix(admin_, "1|aml")) {
    for (const auto& s : texts) text(admin_, s);
  }
  EXPECT_EQ(count("settings", "key = 'admin.free_daily_limit'"), 0);

  EXPECT_EQ(count("users"), users_before);
  EXPECT_EQ(count("inbox", "status = 'dead'"), 0);
  auto tables = table_counts();  // every table still exists
  EXPECT_EQ(tables["users"], users_before);
  EXPECT_EQ(tables["wallets"], tables["users"]);
  expect_ledger_consistent();
}

TEST_P(SecurityInput, BroadcastTextIsDataAndReachesEveryoneExactly) {
  auto reader = user("Reader");
  const auto users_before = count("users");
  const auto broadcasts_before = count("broadcasts");
  press(admin_, "1|ad");
  for (const auto& s : hostile_texts()) {
    press(admin_, "1|ab");
    ASSERT_EQ(screen_id(admin_), "admin_compose");
    text(admin_, s);
    if (exact_expected(s)) {
      EXPECT_EQ(screen_id(admin_), "admin_preview") << s;
      auto preview = telegram().bot_messages(admin_.id);
      bool shown = false;
      for (const auto& m : preview) shown = shown || m.text == s;
      EXPECT_TRUE(shown) << s;
      ASSERT_TRUE(press_prefix(admin_, "1|abx")) << s;  // discard
    } else if (screen_id(admin_) == "admin_preview") {
      ASSERT_TRUE(press_prefix(admin_, "1|abx"));
    }
  }
  EXPECT_EQ(count("broadcasts"), broadcasts_before);
  // Too long for Telegram: refused at compose time.
  press(admin_, "1|ab");
  text(admin_, std::string(5000, 'y'));
  EXPECT_EQ(screen_id(admin_), "admin_compose");

  // One hostile text is sent: every user receives exactly it.
  const auto& s = hostile_texts().front();
  text(admin_, s);
  ASSERT_EQ(screen_id(admin_), "admin_preview");
  ASSERT_TRUE(press_prefix(admin_, "1|abs"));
  EXPECT_EQ(count("broadcasts"), broadcasts_before + 1);
  EXPECT_TRUE(wait_for([&] {
    auto last = telegram().last_bot_message(reader.id);
    return last && last->text == s;
  })) << "the broadcast never reached the reader";
  EXPECT_EQ(count("users"), users_before);
  table_counts();
  expect_ledger_consistent();
}

TEST_P(SecurityInput, TransferAmountsAreParsedNeverInterpreted) {
  auto alice = user("Alice");
  const auto manual_before = count("manual_topups");
  for (const auto& s : hostile_texts()) {
    press(alice, "1|tmt");
    text(alice, s);
    EXPECT_EQ(state(alice).transfer_amount, 0) << s;
  }
  for (const auto& s :
       {std::string("100'; DROP TABLE manual_topups; --"), std::string("1e9"), std::string("-100"),
        std::string("0x10"), std::string("99999999999999999")}) {
    press(alice, "1|tmt");
    text(alice, s);
    EXPECT_EQ(state(alice).transfer_amount, 0) << s;
  }
  EXPECT_EQ(count("manual_topups"), manual_before);
  // A plain amount is taken (the refusals above are real decisions).
  press(alice, "1|tmt");
  text(alice, "150");
  EXPECT_EQ(state(alice).transfer_amount, 150'00);
  EXPECT_EQ(balance(alice.id), (store::Balance{0, 0}));
  table_counts();
  expect_ledger_consistent();
}

}  // namespace
}  // namespace kb::security_test
