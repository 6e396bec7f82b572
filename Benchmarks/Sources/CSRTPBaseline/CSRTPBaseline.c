#include "CSRTPBaseline.h"

#include <srtp2/srtp.h>
#include <stdlib.h>
#include <string.h>

struct csrtp_baseline {
    srtp_t context;
    uint8_t key[46];
};

csrtp_baseline *csrtp_baseline_create(int profile, int inbound, const uint8_t *key) {
    csrtp_baseline *session = calloc(1, sizeof(*session));
    if (session == NULL) {
        return NULL;
    }
    srtp_policy_t policy;
    memset(&policy, 0, sizeof(policy));
    if (srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, (srtp_profile_t)profile) != srtp_err_status_ok ||
        srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, (srtp_profile_t)profile) != srtp_err_status_ok) {
        free(session);
        return NULL;
    }
    unsigned int length = srtp_profile_get_master_key_length((srtp_profile_t)profile) +
                          srtp_profile_get_master_salt_length((srtp_profile_t)profile);
    memcpy(session->key, key, length);
    policy.key = session->key;
    policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.window_size = 1024;
    policy.allow_repeat_tx = 0;
    if (srtp_create(&session->context, &policy) != srtp_err_status_ok) {
        free(session);
        return NULL;
    }
    return session;
}

void csrtp_baseline_destroy(csrtp_baseline *session) {
    if (session != NULL) {
        srtp_dealloc(session->context);
        free(session);
    }
}

int csrtp_baseline_protect_rtp(csrtp_baseline *session, uint8_t *arena, size_t stride, size_t count, int length) {
    for (size_t i = 0; i < count; i++) {
        int packetLength = length;
        srtp_err_status_t status = srtp_protect(session->context, arena + i * stride, &packetLength);
        if (status != srtp_err_status_ok) {
            return (int)status;
        }
    }
    return 0;
}

int csrtp_baseline_unprotect_rtp(csrtp_baseline *session, uint8_t *arena, size_t stride, size_t count, int length) {
    for (size_t i = 0; i < count; i++) {
        int packetLength = length;
        srtp_err_status_t status = srtp_unprotect(session->context, arena + i * stride, &packetLength);
        if (status != srtp_err_status_ok) {
            return (int)status;
        }
    }
    return 0;
}
