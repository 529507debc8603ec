// The bounded pool of database worker threads; each thread owns one Session (one connection).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/db/connection.hpp"

namespace kb::store::db {

class WorkerPool {
 public:
  using Job = std::move_only_function<void(Session&)>;

  // Starts `threads` workers; at most `queue_limit` jobs wait (beyond that submit() refuses, so a
  // stalled database shows up as fast errors instead of unbounded memory).
  WorkerPool(Backend& backend, std::size_t threads, std::size_t queue_limit);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when the queue is full or the pool is stopping; the job is then not run.
  bool submit(Job job);
  // Refuses new jobs, runs the queued ones, joins the threads. Idempotent.
  void stop();

  std::size_t threads() const { return threads_.size(); }
  // True on a database worker thread (where blocking on another database call would deadlock).
  static bool on_worker_thread();

 private:
  void run(Session& session);

  Backend& backend_;
  std::size_t queue_limit_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kb::store::db
