// See include/CLoadSocket.h.
#define _GNU_SOURCE
#include "CLoadSocket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int cload_udp_open(uint32_t address, uint16_t port, int receive_buffer, int send_buffer) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    if (receive_buffer > 0) {
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
    }
    if (send_buffer > 0) {
        (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof(send_buffer));
    }
    struct sockaddr_in local;
    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_port = htons(port);
    local.sin_addr.s_addr = htonl(address);
    if (bind(fd, (struct sockaddr *)&local, sizeof(local)) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int cload_local_port(int fd) {
    struct sockaddr_in local;
    socklen_t length = sizeof(local);
    if (getsockname(fd, (struct sockaddr *)&local, &length) != 0 || local.sin_family != AF_INET) {
        return -1;
    }
    return ntohs(local.sin_port);
}

int cload_udp_connect(int fd, uint32_t address, uint16_t port) {
    struct sockaddr_in remote;
    memset(&remote, 0, sizeof(remote));
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    remote.sin_addr.s_addr = htonl(address);
    return connect(fd, (struct sockaddr *)&remote, sizeof(remote));
}

long cload_send(int fd, const void *bytes, size_t length) {
    ssize_t sent;
    do {
        sent = send(fd, bytes, length, MSG_DONTWAIT);
    } while (sent < 0 && errno == EINTR);
    return (long)sent;
}

int cload_recv_batch(int fd, uint8_t *slots, size_t slot_size, unsigned int count, size_t *lengths) {
    struct mmsghdr messages[CLOAD_MAX_BATCH];
    struct iovec vectors[CLOAD_MAX_BATCH];
    if (count > CLOAD_MAX_BATCH) {
        count = CLOAD_MAX_BATCH;
    }
    if (count == 0) {
        errno = EINVAL;
        return -1;
    }
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = slots + (size_t)i * slot_size;
        vectors[i].iov_len = slot_size;
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    int received;
    do {
        received = recvmmsg(fd, messages, count, MSG_DONTWAIT, NULL);
    } while (received < 0 && errno == EINTR);
    for (int i = 0; i < received; i++) {
        int truncated = (messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
        lengths[i] = truncated ? 0 : (size_t)messages[i].msg_len;
    }
    return received;
}

int cload_close(int fd) {
    return close(fd);
}

int cload_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int cload_epoll_add(int epoll_fd, int fd, uint64_t token) {
    struct epoll_event event;
    memset(&event, 0, sizeof(event));
    event.events = EPOLLIN;
    event.data.u64 = token;
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int cload_epoll_remove(int epoll_fd, int fd) {
    struct epoll_event event;
    memset(&event, 0, sizeof(event));
    return epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, &event);
}

// Set once the kernel refused epoll_pwait2 (before 5.11, or filtered by seccomp).
static int cload_pwait2_refused = 0;

int cload_epoll_wait(int epoll_fd, uint64_t *tokens, int capacity, int64_t timeout_ns) {
    struct epoll_event events[64];
    if (capacity > 64) {
        capacity = 64;
    }
    if (capacity < 1) {
        errno = EINVAL;
        return -1;
    }
    int ready = -1;
    int done = 0;
    if (!__atomic_load_n(&cload_pwait2_refused, __ATOMIC_RELAXED)) {
        struct timespec timeout;
        struct timespec *pointer = NULL;
        if (timeout_ns >= 0) {
            timeout.tv_sec = (time_t)(timeout_ns / 1000000000);
            timeout.tv_nsec = (long)(timeout_ns % 1000000000);
            pointer = &timeout;
        }
        ready = epoll_pwait2(epoll_fd, events, capacity, pointer, NULL);
        if (ready < 0 && (errno == ENOSYS || errno == EPERM)) {
            __atomic_store_n(&cload_pwait2_refused, 1, __ATOMIC_RELAXED);
        } else {
            done = 1;
        }
    }
    if (!done) {
        int timeout_ms = -1;
        if (timeout_ns >= 0) {
            int64_t ms = (timeout_ns + 999999) / 1000000;
            timeout_ms = ms > 0x7FFFFFFF ? 0x7FFFFFFF : (int)ms;
        }
        ready = epoll_wait(epoll_fd, events, capacity, timeout_ms);
    }
    for (int i = 0; i < ready; i++) {
        tokens[i] = events[i].data.u64;
    }
    return ready;
}

int cload_eventfd_create(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int cload_eventfd_signal(int fd) {
    uint64_t one = 1;
    for (int attempt = 0; attempt < 4; attempt++) {
        ssize_t written = write(fd, &one, sizeof(one));
        if (written == (ssize_t)sizeof(one)) {
            return 0;
        }
        if (written < 0 && errno == EAGAIN) {
            // The counter is saturated: the reader is already woken.
            return 0;
        }
        if (written < 0 && errno != EINTR) {
            return -1;
        }
    }
    return -1;
}

void cload_eventfd_drain(int fd) {
    uint64_t value;
    (void)read(fd, &value, sizeof(value));
}

uint64_t cload_monotonic_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

uint64_t cload_thread_cpu_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

void cload_thread_set_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof(truncated) - 1);
    truncated[sizeof(truncated) - 1] = 0;
    (void)pthread_setname_np(pthread_self(), truncated);
}

int cload_thread_pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
        return EINVAL;
    }
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int cload_isatty(int fd) {
    return isatty(fd);
}
