// CSRTP: libsrtp2 for RTCSecurity, the only module that imports it.
// Sessions are configured with libsrtp's public srtp_crypto_policy_set_from_profile_for_rtp/_rtcp,
// so no policy macro needs a wrapper here. What C offers that Swift cannot express safely gets a
// static inline helper, prefixed with the module name.
#ifndef PARLEY_CSRTP_SHIM_H
#define PARLEY_CSRTP_SHIM_H

#include <string.h>
#include <srtp2/srtp.h>

// Wipes key material before its memory is freed. explicit_bzero (glibc 2.25+) is never optimised
// away, unlike a plain store loop or memset on memory that is about to be freed.
static inline void CSRTP_cleanse(void *bytes, size_t count) {
    explicit_bzero(bytes, count);
}

#endif
