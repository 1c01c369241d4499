#ifndef ADRECS_CBUILDINFO_H
#define ADRECS_CBUILDINFO_H

/// The version and git commit the binary was built from, stamped by scripts/build-release.sh
/// (which writes build_stamp.h beside build_info.c); "0.0.0-dev" and "unknown" without a stamp.
/// Functions, not macros, so a new stamp recompiles one C file and relinks, nothing else.
const char *adrecs_build_version(void);
const char *adrecs_build_commit(void);

#endif
