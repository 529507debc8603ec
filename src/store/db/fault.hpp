// How a database failure is classified: the retry and reconnect logic branches on this.
#pragma once

#include <string>

#include "core/result.hpp"

namespace kb::store::db {

// Carried in Error::status of errors produced by the store, next to a matching Errc.
enum class Fault : int {
  none = 0,
  transient = 1,        // SQLITE_BUSY/LOCKED, PG 40001/40P01: rerun the whole unit of work
  broken = 2,           // the connection is gone (PG restart, network): reconnect
  unique = 3,           // a UNIQUE / PRIMARY KEY constraint
  check = 4,            // a CHECK / NOT NULL constraint
  foreign_key = 5,      // a FOREIGN KEY constraint
  full = 6,             // disk or database full (SQLITE_FULL, PG 53100)
  read_only = 7,        // read-only database file or transaction
  undefined_table = 8,  // a missing table (an optional feature that is off)
  permission = 9,       // insufficient privilege
  io = 10,              // the file cannot be read or written (I/O error, cannot open, corrupt)
  other = 11,
};

inline Fault fault_of(const Error& e) {
  return e.status > 0 && e.status <= static_cast<int>(Fault::other) ? static_cast<Fault>(e.status)
                                                                    : Fault::none;
}

// The Errc a fault maps to: what callers outside the store see.
inline Errc errc_for(Fault f) {
  switch (f) {
    case Fault::transient:
    case Fault::broken:
    case Fault::undefined_table:
    case Fault::permission:
      return Errc::unavailable;
    case Fault::unique:
      return Errc::conflict;
    case Fault::check:
      return Errc::invalid_input;
    case Fault::foreign_key:
      return Errc::not_found;
    case Fault::full:
    case Fault::read_only:
    case Fault::io:
      return Errc::io;
    default:
      return Errc::internal;
  }
}

inline Unexpected db_fail(Fault f, std::string message) {
  return fail(errc_for(f), std::move(message), static_cast<int>(f));
}

}  // namespace kb::store::db
