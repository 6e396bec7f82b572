// COpenSSL: OpenSSL 3 (libssl, libcrypto) for RTCSecurity, the only module that imports it.
// DTLS timer, BIO and context settings are macros over *_ctrl calls, and the SSL_OP_* options are
// macros Swift imports poorly: each one the project uses gets a static inline wrapper here,
// prefixed with the module name.
#ifndef PARLEY_COPENSSL_SHIM_H
#define PARLEY_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/srtp.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/opensslv.h>

// DTLS retransmission timer: fills *timeout with the time left, returns 1 if a timer runs.
static inline long COpenSSL_DTLSv1_get_timeout(SSL *ssl, struct timeval *timeout) {
    return DTLSv1_get_timeout(ssl, timeout);
}
// Retransmits the last flight if the timer has expired; returns 1 if it did, 0, or -1 on error.
static inline long COpenSSL_DTLSv1_handle_timeout(SSL *ssl) {
    return DTLSv1_handle_timeout(ssl);
}
static inline long COpenSSL_SSL_CTX_set_read_ahead(SSL_CTX *ctx, long on) {
    return SSL_CTX_set_read_ahead(ctx, on);
}
static inline long COpenSSL_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline uint64_t COpenSSL_SSL_CTX_set_options(SSL_CTX *ctx, uint64_t options) {
    return SSL_CTX_set_options(ctx, options);
}
static inline long COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long COpenSSL_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}
static inline long COpenSSL_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return SSL_CTX_set1_groups_list(ctx, list);
}
// The path MTU DTLS records are sized for (needs SSL_OP_NO_QUERY_MTU on a memory BIO).
static inline long COpenSSL_SSL_set_mtu(SSL *ssl, long mtu) {
    return SSL_set_mtu(ssl, mtu);
}
static inline long COpenSSL_DTLS_set_link_mtu(SSL *ssl, long mtu) {
    return DTLS_set_link_mtu(ssl, mtu);
}
// A memory BIO returns this from reads when empty: -1 makes OpenSSL treat it as "retry later".
static inline long COpenSSL_BIO_set_mem_eof_return(BIO *bio, long value) {
    return BIO_set_mem_eof_return(bio, value);
}
static inline void COpenSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

// The DTLS timer's time left in microseconds: returns 1 and fills *microseconds if a timer runs,
// 0 if none does. Wraps the macro so Swift never sees `struct timeval`.
static inline int COpenSSL_DTLSv1_get_timeout_microseconds(SSL *ssl, uint64_t *microseconds) {
    struct timeval left = {0, 0};
    if (DTLSv1_get_timeout(ssl, &left) != 1) {
        return 0;
    }
    *microseconds = (uint64_t)left.tv_sec * 1000000u + (uint64_t)left.tv_usec;
    return 1;
}
static inline long COpenSSL_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}
// A fresh ex_data index for SSL objects (SSL_get_ex_new_index is a macro).
static inline int COpenSSL_SSL_get_ex_new_index(void) {
    return SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}
// The library and reason parts of an error-queue code (inline functions over macros).
static inline int COpenSSL_ERR_GET_LIB(unsigned long code) { return ERR_GET_LIB(code); }
static inline int COpenSSL_ERR_GET_REASON(unsigned long code) { return ERR_GET_REASON(code); }

static inline uint64_t COpenSSL_SSL_OP_NO_QUERY_MTU(void) { return SSL_OP_NO_QUERY_MTU; }
static inline uint64_t COpenSSL_SSL_OP_COOKIE_EXCHANGE(void) { return SSL_OP_COOKIE_EXCHANGE; }
static inline uint64_t COpenSSL_SSL_OP_NO_TICKET(void) { return SSL_OP_NO_TICKET; }
static inline uint64_t COpenSSL_SSL_OP_NO_COMPRESSION(void) { return SSL_OP_NO_COMPRESSION; }
static inline uint64_t COpenSSL_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE(void) {
    return SSL_OP_CIPHER_SERVER_PREFERENCE;
}

#endif
