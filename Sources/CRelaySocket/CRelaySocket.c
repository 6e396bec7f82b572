#define _GNU_SOURCE
#include "CRelaySocket.h"

#include <string.h>
#include <sys/uio.h>

int crelay_recv_batch(int fd, crelay_message *messages, unsigned int count) {
    if (count > CRELAY_MAX_BATCH) {
        count = CRELAY_MAX_BATCH;
    }
    struct mmsghdr headers[CRELAY_MAX_BATCH];
    struct iovec vectors[CRELAY_MAX_BATCH];
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = messages[i].buffer;
        vectors[i].iov_len = messages[i].capacity;
        memset(&headers[i], 0, sizeof(headers[i]));
        headers[i].msg_hdr.msg_name = &messages[i].address;
        headers[i].msg_hdr.msg_namelen = sizeof(messages[i].address);
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
    }
    int received = recvmmsg(fd, headers, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < received; i++) {
        messages[i].length = headers[i].msg_len;
        messages[i].flags = headers[i].msg_hdr.msg_flags;
        messages[i].address_length = headers[i].msg_hdr.msg_namelen;
    }
    return received;
}

int crelay_send_batch(int fd, const crelay_message *messages, unsigned int count) {
    if (count > CRELAY_MAX_BATCH) {
        count = CRELAY_MAX_BATCH;
    }
    struct mmsghdr headers[CRELAY_MAX_BATCH];
    struct iovec vectors[CRELAY_MAX_BATCH];
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = messages[i].buffer;
        vectors[i].iov_len = messages[i].capacity;
        memset(&headers[i], 0, sizeof(headers[i]));
        // sendmmsg does not write the address; the cast drops const for the C struct's field type.
        headers[i].msg_hdr.msg_name = (void *)&messages[i].address;
        headers[i].msg_hdr.msg_namelen = messages[i].address_length;
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
    }
    return sendmmsg(fd, headers, count, MSG_DONTWAIT);
}
