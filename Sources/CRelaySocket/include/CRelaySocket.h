// CRelaySocket: batched UDP I/O for MediaRelay's workers.
//
// Glibc as Swift imports it does not expose recvmmsg, sendmmsg or struct mmsghdr (they need
// _GNU_SOURCE), so this small C target declares its own message record and does the batching in
// C. MediaRelay is its only importer. Every function returns what the system call returned, and
// errno is left as the call set it.
#ifndef PARLEY_CRELAYSOCKET_H
#define PARLEY_CRELAYSOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/// The most messages one batch call handles (the kernel's UIO_MAXIOV is far above this).
#define CRELAY_MAX_BATCH 64

/// One datagram in a batch: the caller's buffer, and the peer address.
typedef struct {
    /// Receive: where the datagram goes. Send: the datagram.
    void *buffer;
    /// Receive: the buffer's capacity. Send: the datagram's length.
    size_t capacity;
    /// Receive: the datagram's length, set by crelay_recv_batch.
    size_t length;
    /// Receive: set to MSG_TRUNC when the datagram was larger than the buffer (it is truncated).
    int flags;
    /// Receive: the source. Send: the destination.
    struct sockaddr_storage address;
    /// The address's length.
    socklen_t address_length;
} crelay_message;

/// Receives up to `count` datagrams without blocking (MSG_DONTWAIT).
/// Returns the number received, or -1 with errno (EAGAIN when none is waiting).
int crelay_recv_batch(int fd, crelay_message *messages, unsigned int count);

/// Sends `count` datagrams in one call. Returns how many the kernel took (it may take fewer;
/// the caller retries or drops the rest), or -1 with errno.
int crelay_send_batch(int fd, const crelay_message *messages, unsigned int count);

#endif
