#define _GNU_SOURCE
#include "CRelaySocket.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

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

int crelay_udp_open(int family, int ipv6_only, int reuse_port) {
    if (family != AF_INET && family != AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
    if (fd < 0) {
        return -1;
    }
    int one = 1;
    if (family == AF_INET6) {
        int v6only = ipv6_only ? 1 : 0;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) != 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
    }
    if (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int crelay_set_buffer_size(int fd, int receive, int bytes) {
    int option = receive ? SO_RCVBUF : SO_SNDBUF;
    int forced = receive ? SO_RCVBUFFORCE : SO_SNDBUFFORCE;
    if (setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof(bytes)) != 0) {
        return -1;
    }
    // The kernel silently caps at rmem_max/wmem_max and reports twice the granted size.
    int granted = crelay_buffer_size(fd, receive);
    if (granted >= 0 && granted / 2 < bytes) {
        // Allowed to fail (no CAP_NET_ADMIN): the capped size stays.
        (void)setsockopt(fd, SOL_SOCKET, forced, &bytes, sizeof(bytes));
    }
    return 0;
}

int crelay_buffer_size(int fd, int receive) {
    int value = 0;
    socklen_t length = sizeof(value);
    if (getsockopt(fd, SOL_SOCKET, receive ? SO_RCVBUF : SO_SNDBUF, &value, &length) != 0) {
        return -1;
    }
    return value;
}

int crelay_bind(int fd, const struct sockaddr_storage *address, socklen_t length) {
    return bind(fd, (const struct sockaddr *)address, length);
}

int crelay_local_address(int fd, struct sockaddr_storage *address, socklen_t *length) {
    *length = sizeof(*address);
    return getsockname(fd, (struct sockaddr *)address, length);
}

int crelay_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int crelay_epoll_add(int epoll_fd, int fd, uint64_t token) {
    struct epoll_event event;
    memset(&event, 0, sizeof(event));
    event.events = EPOLLIN;
    event.data.u64 = token;
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

// Set once epoll_pwait2 was refused (ENOSYS on kernels before 5.11, EPERM under some seccomp
// filters); from then on every wait uses epoll_wait. A benign race: both paths are correct.
static int crelay_epoll_pwait2_refused = 0;

int crelay_epoll_wait(int epoll_fd, uint64_t *tokens, int capacity, int64_t timeout_ns) {
    struct epoll_event events[16];
    if (capacity > 16) {
        capacity = 16;
    }
    if (capacity < 1) {
        errno = EINVAL;
        return -1;
    }
    int ready = -1;
    int done = 0;
    if (!__atomic_load_n(&crelay_epoll_pwait2_refused, __ATOMIC_RELAXED)) {
        struct timespec timeout;
        struct timespec *timeout_pointer = NULL;
        if (timeout_ns >= 0) {
            timeout.tv_sec = (time_t)(timeout_ns / 1000000000);
            timeout.tv_nsec = (long)(timeout_ns % 1000000000);
            timeout_pointer = &timeout;
        }
        ready = epoll_pwait2(epoll_fd, events, capacity, timeout_pointer, NULL);
        if (ready < 0 && (errno == ENOSYS || errno == EPERM)) {
            __atomic_store_n(&crelay_epoll_pwait2_refused, 1, __ATOMIC_RELAXED);
        } else {
            done = 1;
        }
    }
    if (!done) {
        int timeout_ms = -1;
        if (timeout_ns >= 0) {
            // Round up: waking before the deadline would only cost another loop iteration, but a
            // 0 ms timeout for a deadline 0.4 ms away would spin.
            int64_t milliseconds = (timeout_ns + 999999) / 1000000;
            timeout_ms = milliseconds > INT32_MAX ? INT32_MAX : (int)milliseconds;
        }
        ready = epoll_wait(epoll_fd, events, capacity, timeout_ms);
    }
    for (int i = 0; i < ready; i++) {
        tokens[i] = events[i].data.u64;
    }
    return ready;
}

int crelay_eventfd_create(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int crelay_eventfd_signal(int fd) {
    uint64_t one = 1;
    for (int attempt = 0; attempt < 4; attempt++) {
        ssize_t written = write(fd, &one, sizeof(one));
        if (written == (ssize_t)sizeof(one)) {
            return 0;
        }
        if (written < 0 && errno == EINTR) {
            continue;
        }
        // EAGAIN: the counter is at its maximum, so the reader is certainly woken already.
        return (written < 0 && errno == EAGAIN) ? 0 : -1;
    }
    return -1;
}

int crelay_eventfd_drain(int fd) {
    uint64_t value = 0;
    for (int attempt = 0; attempt < 4; attempt++) {
        ssize_t got = read(fd, &value, sizeof(value));
        if (got == (ssize_t)sizeof(value)) {
            return 0;
        }
        if (got < 0 && errno == EINTR) {
            continue;
        }
        return -1;
    }
    return -1;
}

uint64_t crelay_monotonic_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * UINT64_C(1000000000) + (uint64_t)now.tv_nsec;
}

int crelay_thread_set_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof(truncated) - 1);
    truncated[sizeof(truncated) - 1] = '\0';
    return pthread_setname_np(pthread_self(), truncated);
}

int crelay_thread_pin(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
        return EINVAL;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}
