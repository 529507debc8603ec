// Randomized ledger sequences from several threads on both backends: top-ups (plain and Stars),
// holds, captures, releases, refunds, adjustments and reversals, each checked against a model
// after every step, together with the global invariants; replaying any operation with its key
// changes nothing.
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "billing_fixture.hpp"
#include "domain/ledger_rules.hpp"
#include "services/billing/stars.hpp"
#include "services/billing/welcome_bonus.hpp"

namespace kb::billing::test {
namespace {

using store::LedgerEntryDraft;
using store::LedgerKind;

constexpr int kThreads = 4;
constexpr int kUsersPerThread = 3;
constexpr int kSteps = 120;
constexpr std::int64_t kSharedUser = 900;

class LedgerRandomTest : public BillingTest {};
KB_STORE_BACKENDS(LedgerRandomTest);

// One thread's view: the users it alone touches (an exact model) and its own share of the shared
// user's wallet (every movement there is a sum, so the final state is order-independent).
struct Worker {
  struct Replay {
    LedgerEntryDraft draft;
    std::int64_t user = 0;
  };
  int index = 0;
  std::mt19937_64 rng;
  std::map<std::int64_t, store::Balance> model;                  // owned users
  std::map<std::int64_t, std::pair<std::int64_t, Kopecks>> holds;  // job -> (user, amount)
  std::vector<std::pair<std::int64_t, std::pair<std::int64_t, Kopecks>>> captured;  // refundable
  std::vector<Replay> replays;
  Kopecks shared_total = 0;  // this thread's net contribution to the shared user's total
  Kopecks shared_held = 0;
  std::int64_t seq = 0;
  std::vector<std::string> failures;

  std::int64_t next_job() { return 1'000'000 * (index + 1) + ++seq; }
  std::string key(std::string_view what) { return fmt::format("rnd:{}:{}:{}", index, what, ++seq); }
  Kopecks amount(Kopecks max) { return std::uniform_int_distribution<Kopecks>(1, max)(rng); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  }
  void fail(std::string what) { failures.push_back(fmt::format("thread {}: {}", index, what)); }
};

TEST_P(LedgerRandomTest, InvariantsHoldAfterEveryStepAndReplaysChangeNothing) {
  add_user(kSharedUser, "Shared");
  for (int t = 0; t < kThreads; ++t)
    for (int u = 0; u < kUsersPerThread; ++u) add_user(100 * (t + 1) + u);

  const auto seed = std::random_device{}();
  SCOPED_TRACE(fmt::format("seed {}", seed));
  services::StarsSettings stars{{{100'00, 70}, {555'55, 300}}};

  auto apply = [&](const LedgerEntryDraft& d) {
    return run<store::ApplyResult>([&](store::Tx& tx) { return tx.ledger().apply(d, now()); });
  };

  auto work = [&](Worker& w) {
    std::vector<std::int64_t> users;
    for (int u = 0; u < kUsersPerThread; ++u) {
      std::int64_t id = 100 * (w.index + 1) + u;
      users.push_back(id);
      w.model[id] = {};
    }
    // Move the model and check the wallet right after each successful movement of an owned user.
    auto expect_applied = [&](const LedgerEntryDraft& d, Result<store::ApplyResult> r) -> bool {
      if (!r) {
        w.fail(fmt::format("{} {}: {}", store::ledger_kind_name(d.kind), d.idempotency_key,
                           r.error().describe()));
        return false;
      }
      if (!r->applied) w.fail("not applied: " + d.idempotency_key);
      w.replays.push_back({d, d.user_id});
      return true;
    };
    auto expect_refused = [&](const LedgerEntryDraft& d, Result<store::ApplyResult> r, Errc code) {
      if (r || r.error().code != code)
        w.fail(fmt::format("{} {} should fail with {}", store::ledger_kind_name(d.kind),
                           d.idempotency_key, errc_name(code)));
    };

    for (int step = 0; step < kSteps && w.failures.empty(); ++step) {
      bool shared = std::uniform_int_distribution<int>(0, 4)(w.rng) == 0;
      std::int64_t user = shared ? kSharedUser : w.pick(users);
      auto& m = w.model[user];
      int op = std::uniform_int_distribution<int>(0, 9)(w.rng);
      if (shared && op > 4) op = op % 3;  // the shared wallet: top-ups, holds, settlements only

      switch (op) {
        case 0: {  // top-up
          auto d = LedgerEntryDraft::credit(LedgerKind::topup, user, w.amount(50'000), w.key("topup"));
          if (expect_applied(d, apply(d))) {
            if (shared) w.shared_total += d.amount; else m.available += d.amount;
          }
          break;
        }
        case 1: {  // hold for a new job
          auto job = w.next_job();
          auto d = LedgerEntryDraft::hold(user, w.amount(30'000), domain::hold_key(job));
          auto r = apply(d);
          bool enough = shared || d.held_delta <= m.available;
          if (!enough) {
            expect_refused(d, std::move(r), Errc::insufficient_funds);
          } else if (shared && !r && r.error().code == Errc::insufficient_funds) {
            // Others may have taken the shared money first: a refusal is a valid outcome.
          } else if (expect_applied(d, std::move(r))) {
            w.holds[job] = {user, d.held_delta};
            if (shared) {
              w.shared_held += d.held_delta;
            } else {
              m.available -= d.held_delta;
              m.held += d.held_delta;
            }
          }
          break;
        }
        case 2:
        case 3: {  // settle one of this thread's open holds: capture or release, then try the other
          if (w.holds.empty()) break;
          auto it = std::next(w.holds.begin(), std::uniform_int_distribution<std::size_t>(
                                                   0, w.holds.size() - 1)(w.rng));
          auto [job, held] = *it;
          auto [owner, x] = held;
          bool capture = op == 2;
          auto key = domain::settlement_key(job);
          auto d = capture ? LedgerEntryDraft::capture(owner, x, key) : LedgerEntryDraft::release(owner, x, key);
          if (!expect_applied(d, apply(d))) break;
          w.holds.erase(it);
          auto& om = w.model[owner];
          if (owner == kSharedUser) {
            w.shared_held -= x;
            if (capture) w.shared_total -= x;
          } else {
            om.held -= x;
            if (capture) w.captured.push_back({job, {owner, x}}); else om.available += x;
          }
          // Settling the other way afterwards is a conflict, never a second movement.
          auto other = capture ? LedgerEntryDraft::release(owner, x, key) : LedgerEntryDraft::capture(owner, x, key);
          expect_refused(other, apply(other), Errc::conflict);
          break;
        }
        case 4: {  // refund a captured job (money given back after delivery failed later)
          if (w.captured.empty()) break;
          auto [job, owned] = w.pick(w.captured);
          auto [owner, x] = owned;
          auto d = LedgerEntryDraft::credit(LedgerKind::refund, owner, x, fmt::format("refund:job:{}", job));
          auto r = apply(d);
          if (!r) {
            w.fail("refund: " + r.error().describe());
          } else if (r->applied) {
            w.model[owner].available += x;
            w.replays.push_back({d, owner});
          }  // else: this job was refunded before (picked twice): nothing changed, as it must
          break;
        }
        case 5: {  // admin adjustment, either sign
          Kopecks delta = std::uniform_int_distribution<Kopecks>(-m.available - 5'000, 20'000)(w.rng);
          if (delta == 0) delta = 1;
          auto d = LedgerEntryDraft::adjustment(user, delta, w.key("adjust"));
          if (m.available + delta < 0) {
            expect_refused(d, apply(d), Errc::insufficient_funds);
          } else if (expect_applied(d, apply(d))) {
            m.available += delta;
          }
          break;
        }
        case 6: {  // a top-up reversed (refunded to the payer)
          auto d = LedgerEntryDraft::topup_reversal(user, w.amount(20'000), w.key("reversal"));
          if (-d.amount > m.available) {
            expect_refused(d, apply(d), Errc::insufficient_funds);
          } else if (expect_applied(d, apply(d))) {
            m.available += d.amount;
          }
          break;
        }
        case 7: {  // a Stars top-up through the real service, delivered twice
          int package = std::uniform_int_distribution<int>(0, 1)(w.rng);
          auto invoice = run<telegram::SendInvoice>([&](store::Tx& tx) {
            return services::make_invoice(tx, stars, user, user, package, {"t", "d", "l"}, now());
          });
          if (!invoice) {
            w.fail("invoice: " + invoice.error().describe());
            break;
          }
          auto message = successful_payment(user, invoice->invoice.payload,
                                            stars.packages[package].stars, "stx" + w.key("charge"));
          for (int delivery = 0; delivery < 2; ++delivery) {
            auto credited = run<services::StarsCredit>([&](store::Tx& tx) {
              return services::credit_successful_payment(tx, message, {}, now());
            });
            if (!credited) {
              w.fail("stars credit: " + credited.error().describe());
              break;
            }
            auto want = delivery == 0 ? services::StarsCreditStatus::credited
                                      : services::StarsCreditStatus::duplicate;
            if (credited->status != want) w.fail("stars credit status on delivery " + std::to_string(delivery));
          }
          m.available += stars.packages[package].credit;
          break;
        }
        default: {  // replay an earlier operation with its key: nothing may change
          if (w.replays.empty()) break;
          const auto& replay = w.pick(w.replays);
          auto r = apply(replay.draft);
          if (!r) {
            w.fail("replay " + replay.draft.idempotency_key + ": " + r.error().describe());
          } else if (r->applied) {
            w.fail("replay applied again: " + replay.draft.idempotency_key);
          }
          break;
        }
      }

      // After every step: this thread's users match the model exactly, and the whole ledger is
      // consistent (available + held == Σ entries, nothing negative).
      for (auto id : users) {
        auto b = run<store::Balance>([&](store::Tx& tx) { return tx.ledger().balance(id); });
        if (!b || *b != w.model[id])
          w.fail(fmt::format("step {}: user {} has {}/{} but the model says {}/{}", step, id,
                             b ? b->available : -1, b ? b->held : -1, w.model[id].available,
                             w.model[id].held));
      }
      auto ps = run<std::vector<store::LedgerProblem>>([](store::Tx& tx) { return tx.ledger().verify(); });
      if (!ps || !ps->empty()) w.fail(fmt::format("step {}: verify: {}", step, ps ? describe(*ps) : ps.error().describe()));
    }
  };

  std::vector<Worker> workers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    workers[t].index = t;
    workers[t].rng.seed(seed + static_cast<unsigned>(t));
    threads.emplace_back([&, t] { work(workers[t]); });
  }
  for (auto& t : threads) t.join();
  for (const auto& w : workers)
    for (const auto& f : w.failures) ADD_FAILURE() << f;

  // The shared wallet is the sum of every thread's successful movements.
  Kopecks total = 0, held = 0;
  for (const auto& w : workers) {
    total += w.shared_total;
    held += w.shared_held;
  }
  auto shared = balance(kSharedUser);
  EXPECT_EQ(shared.total(), total);
  EXPECT_EQ(shared.held, held);
  EXPECT_TRUE(problems().empty()) << describe(problems());

  // The welcome bonus through the service: once per user, however often it is asked for.
  for (int i = 0; i < 3; ++i)
    must_run<bool>([&](store::Tx& tx) { return services::grant_welcome_bonus(tx, kSharedUser, 50'00, now()); });
  EXPECT_EQ(balance(kSharedUser).total(), total + 50'00);
  EXPECT_TRUE(problems().empty());
}

}  // namespace
}  // namespace kb::billing::test
