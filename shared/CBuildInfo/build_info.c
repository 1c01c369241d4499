#include "CBuildInfo.h"

// build_stamp.h (not in git) defines ADRECS_VERSION and ADRECS_COMMIT; scripts/build-release.sh
// writes it only when the stamp changes and touches this file so that it recompiles.
#if __has_include("build_stamp.h")
#include "build_stamp.h"
#endif

#ifndef ADRECS_VERSION
#define ADRECS_VERSION "0.0.0-dev"
#endif
#ifndef ADRECS_COMMIT
#define ADRECS_COMMIT "unknown"
#endif

const char *adrecs_build_version(void) { return ADRECS_VERSION; }
const char *adrecs_build_commit(void) { return ADRECS_COMMIT; }
