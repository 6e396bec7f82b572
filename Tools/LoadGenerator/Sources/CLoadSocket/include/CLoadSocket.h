// CLoadSocket: the few system calls parley-load's engine thread needs, in C because Glibc as
// Swift imports it does not expose recvmmsg (it needs _GNU_SOURCE), and struct epoll_event is
// packed on x86_64 (awkward from Swift). LoadGeneratorCore is its only importer. Every function
// returns what the system call returned (or -1), with errno as the call left it. IPv4 only: the
// load generator binds one socket per simulated participant on an IPv4 address.
#ifndef PARLEY_CLOADSOCKET_H
#define PARLEY_CLOADSOCKET_H

#include <stddef.h>
#include <stdint.h>

/// The most datagrams one cload_recv_batch call reads.
#define CLOAD_MAX_BATCH 32

/// Opens a non-blocking IPv4 UDP socket bound to `address` (host byte order) and `port` (0: the
/// kernel picks one), with the given buffer sizes (0: the kernel's default). Returns the
/// descriptor or -1.
int cload_udp_open(uint32_t address, uint16_t port, int receive_buffer, int send_buffer);

/// The port a socket is bound to, or -1.
int cload_local_port(int fd);

/// Connects a UDP socket to `address`:`port` (host byte order): sends go there, and datagrams
/// from anyone else are dropped by the kernel. Returns 0 or -1.
int cload_udp_connect(int fd, uint32_t address, uint16_t port);

/// Sends one datagram on a connected socket without blocking. Returns the bytes sent or -1.
long cload_send(int fd, const void *bytes, size_t length);

/// Receives up to `count` (at most CLOAD_MAX_BATCH) datagrams without blocking into `count`
/// slots of `slot_size` bytes starting at `slots`; writes each length to `lengths` (a datagram
/// larger than its slot is reported with length 0). Returns how many were read, or -1 (EAGAIN
/// when none was waiting).
int cload_recv_batch(int fd, uint8_t *slots, size_t slot_size, unsigned int count, size_t *lengths);

/// Closes a descriptor.
int cload_close(int fd);

/// epoll_create1(EPOLL_CLOEXEC).
int cload_epoll_create(void);

/// Watches `fd` for input (level-triggered), reporting `token`. Returns 0 or -1.
int cload_epoll_add(int epoll_fd, int fd, uint64_t token);

/// Stops watching `fd`. Returns 0 or -1.
int cload_epoll_remove(int epoll_fd, int fd);

/// Waits for input at most `timeout_ns` nanoseconds (-1: forever; epoll_pwait2 where the kernel
/// has it, else milliseconds rounded up) and writes up to `capacity` (at most 64) tokens.
/// Returns how many are ready, 0 on timeout, or -1.
int cload_epoll_wait(int epoll_fd, uint64_t *tokens, int capacity, int64_t timeout_ns);

/// A non-blocking eventfd, or -1.
int cload_eventfd_create(void);

/// Wakes whoever waits on the eventfd. Returns 0 or -1.
int cload_eventfd_signal(int fd);

/// Resets the eventfd's counter.
void cload_eventfd_drain(int fd);

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t cload_monotonic_nanoseconds(void);

/// CPU time the calling thread has used, in nanoseconds (CLOCK_THREAD_CPUTIME_ID).
uint64_t cload_thread_cpu_nanoseconds(void);

/// Names the calling thread (15 bytes kept).
void cload_thread_set_name(const char *name);

/// Pins the calling thread to `cpu`. Returns 0 or an errno value.
int cload_thread_pin(int cpu);

/// Whether `fd` is a terminal (1) or not (0).
int cload_isatty(int fd);

#endif
