// kiebot entry point.
#include <exception>
#include <iostream>

#include "app/cli.hpp"

// libcurl's Debian build links librtmp, which links GnuTLS; GnuTLS initialises itself in a library
// constructor (ASN.1 definition trees, random generator, crypto back-end: about 0.9 MB resident)
// although nothing here uses it: our HTTP client speaks only http/https through OpenSSL
// (CURLOPT_PROTOCOLS_STR), and a library that does use GnuTLS (librtmp, OpenLDAP) calls
// gnutls_global_init itself. This is GnuTLS's documented opt-out (GNUTLS_SKIP_GLOBAL_INIT in
// <gnutls/gnutls.h>): the executable defines the hook that the library's constructor asks.
extern "C" int _gnutls_global_init_skip(void);
extern "C" int _gnutls_global_init_skip(void) {
  return 1;
}

int main(int argc, char** argv) {
  try {
    return kb::app::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kiebot: fatal: " << e.what() << "\n";
    return 1;
  }
}
