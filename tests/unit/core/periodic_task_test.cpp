// PeriodicTask: when the first step runs, that steps repeat, and that a stop ends the loop.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/log.hpp"
#include "core/periodic_task.hpp"
#include "core/with_timeout.hpp"
#include "support/async_test.hpp"

namespace kb {
namespace {

using namespace std::chrono_literals;

bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 2500 && !done(); ++i) std::this_thread::sleep_for(2ms);
  return done();
}

TEST(PeriodicTask, StepsFirstOrWaitsFirstRepeatsAndStops) {
  test::IoThread io;
  auto steps = std::make_shared<std::atomic<int>>(0);
  PeriodicTask at_once;
  at_once.start(io.io().get_executor(), 1h, PeriodicTask::First::step, [steps]() -> Task<void> {
    ++*steps;
    co_return;
  });
  EXPECT_TRUE(eventually([&] { return steps->load() == 1; }));

  auto waited = std::make_shared<std::atomic<int>>(0);
  PeriodicTask later;
  later.start(io.io().get_executor(), 5ms, PeriodicTask::First::wait, [waited]() -> Task<void> {
    ++*waited;
    co_return;
  });
  EXPECT_TRUE(eventually([&] { return waited->load() >= 3; }));

  // A stop ends both loops at once, even the one waiting an hour, and no step runs after it.
  EXPECT_TRUE(io.run<bool>([&] { return at_once.stop(1s); }));
  EXPECT_TRUE(io.run<bool>([&] { return later.stop(1s); }));
  auto after = waited->load();
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(waited->load(), after);
  EXPECT_EQ(steps->load(), 1);
}

TEST(PeriodicTask, AThrowingStepDoesNotEndTheLoop) {
  log::Capture capture;
  test::IoThread io(2);
  auto steps = std::make_shared<std::atomic<int>>(0);
  PeriodicTask loop;
  loop.start(io.io().get_executor(), 2ms, PeriodicTask::First::step, [steps]() -> Task<void> {
    if (++*steps <= 2) throw std::runtime_error("broken step");
    co_return;
  });
  EXPECT_TRUE(eventually([&] { return steps->load() >= 4; }));
  EXPECT_TRUE(io.run<bool>([&] { return loop.stop(1s); }));
}

TEST(PeriodicTask, AStepStillRunningPastTheGraceIsReported) {
  test::IoThread io;
  auto release = std::make_shared<std::atomic<bool>>(false);
  auto entered = std::make_shared<std::atomic<bool>>(false);
  PeriodicTask slow;
  slow.start(io.io().get_executor(), 1h, PeriodicTask::First::step,
             [release, entered]() -> Task<void> {
               *entered = true;
               std::function<bool()> released = [release] { return release->load(); };
               co_await wait_until(std::move(released), 10s);
             });
  ASSERT_TRUE(eventually([&] { return entered->load(); }));
  EXPECT_FALSE(io.run<bool>([&] { return slow.stop(20ms); }));
  *release = true;
  EXPECT_TRUE(io.run<bool>([&] { return slow.stop(1s); }));
}

}  // namespace
}  // namespace kb
