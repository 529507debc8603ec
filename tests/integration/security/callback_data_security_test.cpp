// Forged inline-button payloads (random bytes, oversized, another user's job ids, admin actions
// from a non-admin) through the whole application: nothing of another user is read or changed,
// no money moves, no admin action happens, every query is answered, the bot keeps serving.
#include <random>

#include "bot/callback_data.hpp"
#include "bot/screens/common.hpp"
#include "catalog/holder.hpp"
#include "security_rig.hpp"

namespace kb::security_test {
namespace {

std::string cb(std::string_view action, std::vector<std::string> args = {}) {
  auto data = bot::encode_callback(action, args);
  EXPECT_TRUE(data) << action;
  return data.value_or("1|h");
}

// Random valid UTF-8 (the fake's JSON must carry it), rich in separators and digits.
std::vector<std::string> random_payloads(std::size_t n) {
  static const std::vector<std::string> alphabet = {
      "1", "|",  "0",  "9", "a", "z",      "j", "r",  "x", "-", "_", ".", " ", "%",
      "'", "\\", "\"", "é", "😀", "\u202e", "ж", "\t", "{", "}", "$", "@", ";", "/"};
  std::mt19937 rng(20240612);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s = i % 2 ? "1|" : "";
    auto len = 1 + rng() % 40;
    for (std::size_t k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    out.push_back(std::move(s));
  }
  return out;
}

class SecurityCallbackData : public SecurityTest {};
KB_SECURITY_BACKENDS(SecurityCallbackData);

TEST_P(SecurityCallbackData, ForgedPayloadsReadAndChangeNothing) {
  const std::string bob_prompt = "bob-private-prompt-7f3a";
  auto bob = user("Bob", "en");
  auto bob_job = start_job(bob, bob_prompt);
  ASSERT_TRUE(bob_job.kie_task_id);
  auto mallory = user("Mallory", "en");

  const auto ledger_before = count("ledger_entries");
  const auto audit_before = count("admin_actions");
  const auto banned_before = count("users", "banned");
  const auto overrides_before = count("model_overrides");
  const auto broadcasts_before = count("broadcasts");
  const auto manual_before = count("manual_topups");
  const auto refunds_before = telegram().call_count("refundStarPayment");
  const auto jobs_before = count("jobs");
  const auto tasks_before = kie().tasks().size();
  const auto bob_balance = balance(bob.id);
  const auto bob_free_used = count("free_usage", "user_id = " + std::to_string(bob.id));
  const auto bob_state = state(bob).screen;

  auto first = app().catalog().get()->models.front();
  const auto job = std::to_string(bob_job.id);
  const auto b = std::to_string(bob.id);
  const auto me = std::to_string(mallory.id);
  std::vector<std::string> forged = random_payloads(24);
  // Another user's job: repeat, edit, cancel; ids around it too.
  for (const auto& id : {job, std::to_string(bob_job.id + 1), std::string("0"), std::string("-1"),
                         std::string("99999999999999999999")})
    for (auto action : {bot::actions::job_retry, bot::actions::job_edit, bot::actions::job_cancel})
      forged.push_back("1|" + std::string(action) + "|" + id);
  // Admin actions from a non-admin (users, money, models, broadcast, manual approvals, refunds).
  for (const auto& data : {cb("ad"),
                           cb("as", {"d"}),
                           cb("au"),
                           cb("auv", {b}),
                           cb("aua", {b}),
                           cb("aub", {b}),
                           cb("auu", {b}),
                           cb("ap"),
                           cb("apr"),
                           cb("am", {"0"}),
                           cb("amt", {bot::model_ref(first), "0"}),
                           cb("amf", {bot::model_ref(first), "0"}),
                           cb("aml"),
                           cb("ab"),
                           cb("abb"),
                           cb("abs"),
                           cb("abx"),
                           cb("tpa", {"1"}),
                           cb("tpr", {"1"}),
                           cb("tpx", {"1", "0"}),
                           cb("tpb", {"1"}),
                           cb("tsr", {b, "1"}),
                           cb("tsr", {me, "1"})})
    forged.push_back(data);
  // Oversized and malformed.
  forged.push_back("1|jr|" + std::string(70, '1'));
  forged.push_back("1|h|" + std::string(1000, 'x'));
  forged.push_back(std::string(64 * 1024, '|'));
  forged.push_back("2|h");
  forged.push_back("1|");
  forged.push_back("|||");
  forged.push_back("1|cg|z-image|" + job);
  forged.push_back("1|ws|../../etc/passwd");
  forged.push_back("1|m|z-image'; DROP TABLE jobs; --");

  for (const auto& data : forged) {
    auto pressed = telegram().press_button(mallory, newest_message_id(mallory), data);
    settle(pressed.update_id);
    EXPECT_NE(screen_id(mallory).rfind("admin", 0), 0u) << data;
  }

  // Nothing of Bob's was read: no message to Mallory carries his prompt.
  // No admin screen was drawn for her either (admin actions are the only ones starting with 'a').
  for (const auto& m : telegram().bot_messages(mallory.id)) {
    EXPECT_EQ(m.text.find(bob_prompt), std::string::npos) << m.text;
    for (const auto& button : m.buttons()) {
      EXPECT_FALSE(button.callback_data.starts_with("1|a")) << button.callback_data;
      EXPECT_FALSE(button.callback_data.starts_with("1|tp")) << button.callback_data;
    }
  }
  EXPECT_FALSE(state(mallory).values.contains("prompt"));
  // Nothing of Bob's was changed.
  auto bob_jobs = jobs(bob);
  ASSERT_EQ(bob_jobs.size(), 1u);
  EXPECT_EQ(bob_jobs[0].state, bob_job.state);
  EXPECT_EQ(balance(bob.id), bob_balance);
  EXPECT_EQ(count("free_usage", "user_id = " + b), bob_free_used);
  EXPECT_EQ(state(bob).screen, bob_state);
  // No job, money, admin action, ban, override or broadcast came from the forged presses.
  EXPECT_EQ(count("jobs"), jobs_before);
  EXPECT_EQ(kie().tasks().size(), tasks_before);
  EXPECT_EQ(count("ledger_entries"), ledger_before);
  EXPECT_EQ(count("admin_actions"), audit_before);
  EXPECT_EQ(count("users", "banned"), banned_before);
  EXPECT_EQ(count("model_overrides"), overrides_before);
  EXPECT_EQ(count("broadcasts"), broadcasts_before);
  EXPECT_EQ(count("manual_topups"), manual_before);
  EXPECT_EQ(telegram().call_count("refundStarPayment"), refunds_before);
  EXPECT_TRUE(app().catalog().get()->find(first.id)->enabled);
  // Every forged query was answered (no spinning button), and nothing died.
  for (const auto& q : telegram().callback_queries()) {
    if (q.user_id == mallory.id) {
      EXPECT_TRUE(q.answered) << q.data;
    }
  }
  EXPECT_EQ(count("inbox", "status = 'dead'"), 0);
  // The bot still serves the forger normally.
  command(mallory, "start");
  EXPECT_EQ(screen_id(mallory), "main");
  expect_ledger_consistent();
}

TEST_P(SecurityCallbackData, TypedAdminAnswersFromANonAdminAreOrdinaryText) {
  auto eve = user("Eve", "en");
  auto victim = user("Vic", "en");
  const auto audit_before = count("admin_actions");
  const std::vector<std::string> typed_answers = {"/admin", "+100 free money",
                                                  std::to_string(victim.id), "@Vic", "-1 x"};
  for (const auto& typed : typed_answers) {
    text(eve, typed);
    EXPECT_EQ(screen_id(eve), "main") << typed;
  }
  EXPECT_EQ(count("admin_actions"), audit_before);
  EXPECT_EQ(balance(eve.id), (store::Balance{0, 0}));
  EXPECT_EQ(balance(victim.id), (store::Balance{0, 0}));
  for (const auto& m : telegram().bot_messages(eve.id))
    EXPECT_EQ(m.text.find(std::to_string(victim.id)), std::string::npos) << m.text;
}

}  // namespace
}  // namespace kb::security_test
