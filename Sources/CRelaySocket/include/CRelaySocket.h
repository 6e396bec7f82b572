// CRelaySocket: batched UDP I/O and the few system calls MediaRelay's workers need.
//
// Glibc as Swift imports it does not expose recvmmsg, sendmmsg or struct mmsghdr (they need
// _GNU_SOURCE), struct epoll_event is packed on x86_64 (awkward from Swift), and eventfd,
// pthread_setname_np and pthread_setaffinity_np are GNU extensions: so this small C target does
// them. MediaRelay is its only importer. Every function returns what the system call returned
// (or -1), and errno is left as the call set it.
#ifndef PARLEY_CRELAYSOCKET_H
#define PARLEY_CRELAYSOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
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

// MARK: - Addresses

/// Writes a socket address for an IP address given as two big-endian 64-bit halves (IPv6) or
/// the low 32 bits of `low` (IPv4, `is_ipv6` = 0), and a port, in the form a socket of
/// `socket_family` (AF_INET or AF_INET6) sends to: an IPv4 address on an AF_INET6 socket becomes
/// the IPv4-mapped address ::ffff:a.b.c.d. Returns 0, or -1 when the socket cannot reach the
/// address (IPv6 on an AF_INET socket). Inline: it runs for every datagram sent.
static inline int crelay_address_encode(
    int is_ipv6, uint64_t high, uint64_t low, uint16_t port, int socket_family,
    struct sockaddr_storage *out, socklen_t *out_length
) {
    if (socket_family == AF_INET) {
        if (is_ipv6) {
            return -1;
        }
        struct sockaddr_in *v4 = (struct sockaddr_in *)out;
        memset(v4, 0, sizeof(*v4));
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        v4->sin_addr.s_addr = htonl((uint32_t)low);
        *out_length = sizeof(*v4);
        return 0;
    }
    if (socket_family != AF_INET6) {
        return -1;
    }
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    memset(v6, 0, sizeof(*v6));
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    if (!is_ipv6) {
        high = 0;
        low = UINT64_C(0x0000FFFF00000000) | (low & UINT64_C(0xFFFFFFFF));
    }
    uint8_t *bytes = v6->sin6_addr.s6_addr;
    for (int i = 0; i < 8; i++) {
        bytes[i] = (uint8_t)(high >> (56 - 8 * i));
        bytes[8 + i] = (uint8_t)(low >> (56 - 8 * i));
    }
    *out_length = sizeof(*v6);
    return 0;
}

/// Reads a socket address into the same form: returns 4 (IPv4, in the low 32 bits of `low`),
/// 6 (IPv6), or 0 for anything else (another family, a short length). An IPv4-mapped IPv6
/// address (::ffff:a.b.c.d, what a dual-stack socket reports for IPv4 peers) is returned as
/// IPv4, so one peer has one key whichever socket it reached.
static inline int crelay_address_decode(
    const struct sockaddr_storage *in, socklen_t length, uint64_t *high, uint64_t *low, uint16_t *port
) {
    if (in->ss_family == AF_INET && length >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)in;
        *high = 0;
        *low = ntohl(v4->sin_addr.s_addr);
        *port = ntohs(v4->sin_port);
        return 4;
    }
    if (in->ss_family == AF_INET6 && length >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)in;
        const uint8_t *bytes = v6->sin6_addr.s6_addr;
        uint64_t h = 0;
        uint64_t l = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | bytes[i];
            l = (l << 8) | bytes[8 + i];
        }
        *port = ntohs(v6->sin6_port);
        if (h == 0 && (l >> 32) == UINT64_C(0x0000FFFF)) {
            *high = 0;
            *low = l & UINT64_C(0xFFFFFFFF);
            return 4;
        }
        *high = h;
        *low = l;
        return 6;
    }
    return 0;
}

/// The source of a received message, decoded as crelay_address_decode does (4, 6 or 0).
static inline int crelay_message_source(
    const crelay_message *message, uint64_t *high, uint64_t *low, uint16_t *port
) {
    return crelay_address_decode(&message->address, message->address_length, high, low, port);
}

/// Sets the destination of a message to send, as crelay_address_encode does (0 or -1).
static inline int crelay_message_set_destination(
    crelay_message *message, int is_ipv6, uint64_t high, uint64_t low, uint16_t port, int socket_family
) {
    return crelay_address_encode(
        is_ipv6, high, low, port, socket_family, &message->address, &message->address_length
    );
}

/// Whether the kernel truncated a received message (it was larger than its buffer).
static inline int crelay_message_truncated(const crelay_message *message) {
    return (message->flags & MSG_TRUNC) != 0;
}

// MARK: - Sockets

/// Opens a non-blocking, close-on-exec UDP socket of `family` (AF_INET or AF_INET6). For AF_INET6,
/// `ipv6_only` sets IPV6_V6ONLY (0 makes a dual-stack socket). `reuse_port` sets SO_REUSEPORT
/// (several workers sharing one port). Returns the descriptor or -1.
int crelay_udp_open(int family, int ipv6_only, int reuse_port);

/// Sets SO_RCVBUF (`receive` = 1) or SO_SNDBUF to `bytes`; when the limit (net.core.rmem_max /
/// wmem_max) is below it, tries SO_RCVBUFFORCE / SO_SNDBUFFORCE (needs CAP_NET_ADMIN) and keeps
/// the capped size otherwise. Returns 0 or -1.
int crelay_set_buffer_size(int fd, int receive, int bytes);

/// The kernel's SO_RCVBUF (`receive` = 1) or SO_SNDBUF value (twice what was asked: the kernel
/// counts its bookkeeping), or -1.
int crelay_buffer_size(int fd, int receive);

/// bind(2).
int crelay_bind(int fd, const struct sockaddr_storage *address, socklen_t length);

/// getsockname(2) into `address`.
int crelay_local_address(int fd, struct sockaddr_storage *address, socklen_t *length);

// MARK: - Loop

/// epoll_create1(EPOLL_CLOEXEC).
int crelay_epoll_create(void);

/// Watches `fd` for input (level-triggered); `token` comes back from crelay_epoll_wait.
int crelay_epoll_add(int epoll_fd, int fd, uint64_t token);

/// Waits for input: writes the token of each ready descriptor into `tokens` (at most `capacity`,
/// at most 16), returns how many, 0 on timeout, or -1 (EINTR included). `timeout_ns` < 0 waits
/// forever. Uses epoll_pwait2 (nanosecond timeouts) and falls back to epoll_wait with the
/// timeout rounded up to whole milliseconds where the kernel or a seccomp filter refuses it.
int crelay_epoll_wait(int epoll_fd, uint64_t *tokens, int capacity, int64_t timeout_ns);

/// A non-blocking, close-on-exec eventfd with counter 0.
int crelay_eventfd_create(void);

/// Adds 1 to the eventfd's counter (wakes a waiting epoll). Returns 0 or -1.
int crelay_eventfd_signal(int fd);

/// Resets the eventfd's counter to 0. Returns 0, or -1 (EAGAIN when it was already 0).
int crelay_eventfd_drain(int fd);

/// CLOCK_MONOTONIC in nanoseconds (vDSO: no system call).
uint64_t crelay_monotonic_nanoseconds(void);

/// Names the calling thread (15 bytes at most are kept). Returns 0 or an error number.
int crelay_thread_set_name(const char *name);

/// Pins the calling thread to one CPU. Returns 0 or an error number.
int crelay_thread_pin(int cpu);

#endif
