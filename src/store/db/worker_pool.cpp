// Database worker threads.
#include "store/db/worker_pool.hpp"

#include "core/log.hpp"

namespace kb::store::db {
namespace {
thread_local bool tl_on_worker = false;
}

WorkerPool::WorkerPool(Backend& backend, std::size_t threads, std::size_t queue_limit)
    : backend_(backend), queue_limit_(queue_limit) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      tl_on_worker = true;
      auto session = backend_.make_session();
      run(*session);
    });
  }
}

WorkerPool::~WorkerPool() {
  stop();
}

bool WorkerPool::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= queue_limit_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

bool WorkerPool::on_worker_thread() {
  return tl_on_worker;
}

void WorkerPool::run(Session& session) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      job(session);
    } catch (const std::exception& e) {
      // Jobs catch their own failures; reaching this is a bug, but never worth a dead worker.
      log::error("db_worker_job_threw", {{"error", e.what()}});
      session.rollback();
    }
  }
}

}  // namespace kb::store::db
