// The baseline for Parley's SRTP wrapper: libsrtp2 called directly from a C loop, on the same
// packets, with the same policy setters the wrapper uses. The benchmark's ratio (Parley / C) is
// the cost of the Swift wrapper alone. libsrtp must already be initialised (srtp_init once per
// process): the benchmark calls Parley's LibSRTP.ensureInitialized() first.
#ifndef PARLEY_CSRTPBASELINE_H
#define PARLEY_CSRTPBASELINE_H

#include <stddef.h>
#include <stdint.h>

typedef struct csrtp_baseline csrtp_baseline;

/// A session for one direction; `profile` is the DTLS-SRTP profile id (1, 2, 7 or 8), `key`
/// holds the master key followed by the master salt. Returns NULL on failure.
csrtp_baseline *csrtp_baseline_create(int profile, int inbound, const uint8_t *key);

void csrtp_baseline_destroy(csrtp_baseline *session);

/// Protects `count` RTP packets of `length` bytes in place, packet i at `arena + i * stride`
/// (stride leaves room for the trailer). Returns 0, or the first libsrtp status that was not ok.
int csrtp_baseline_protect_rtp(csrtp_baseline *session, uint8_t *arena, size_t stride, size_t count, int length);

/// Unprotects `count` SRTP packets of `length` bytes in place (layout as above).
int csrtp_baseline_unprotect_rtp(csrtp_baseline *session, uint8_t *arena, size_t stride, size_t count, int length);

#endif
