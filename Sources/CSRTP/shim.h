// CSRTP: libsrtp2 for RTCSecurity, the only module that imports it.
// Policy setters that libsrtp defines as macros get static inline wrappers, prefixed with the
// module name, so that every profile is set up the same way from Swift.
#ifndef PARLEY_CSRTP_SHIM_H
#define PARLEY_CSRTP_SHIM_H

#include <srtp2/srtp.h>

// srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 is a macro over the rtp default.
static inline void CSRTP_policy_set_aes_cm_128_hmac_sha1_80(srtp_crypto_policy_t *p) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(p);
}
static inline void CSRTP_policy_set_aes_cm_128_hmac_sha1_32(srtp_crypto_policy_t *p) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(p);
}
static inline void CSRTP_policy_set_aes_gcm_128_16_auth(srtp_crypto_policy_t *p) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(p);
}
static inline void CSRTP_policy_set_aes_gcm_256_16_auth(srtp_crypto_policy_t *p) {
    srtp_crypto_policy_set_aes_gcm_256_16_auth(p);
}

#endif
