#pragma once
// Invariant checks that stay on in release builds. Never use on user input: bad input is a
// Status, a broken invariant is a bug and stops the process with a message.
#include <cstdio>
#include <cstdlib>

#define LF_ASSERT(cond)                                                                    \
  do {                                                                                     \
    if (!(cond)) [[unlikely]] {                                                            \
      std::fprintf(stderr, "ledgerflow: invariant failed: %s at %s:%d\n", #cond, __FILE__, \
                   __LINE__);                                                              \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)
