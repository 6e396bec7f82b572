// c-forwarder: the C baseline for MediaRelay's worker loop, plus the traffic generator and the
// sinks used to compare the two. Loopback only (127.0.0.1).
//
// Build:  cc -O2 -Wall -o /tmp/c-forwarder Tools/Baselines/c-forwarder.c
//
//   c-forwarder forward --port P [--cpu N] [--seconds S] DEST_PORT...
//       Binds 127.0.0.1:P and sends every datagram it receives to 127.0.0.1:DEST_PORT for each
//       DEST_PORT (fan-out K = number of ports). The loop has the shape of RelayWorker +
//       ForwardingHandler: epoll_wait on the socket, recvmmsg (MSG_DONTWAIT, 64 x 2048-byte
//       slots) until a short batch, each datagram copied into one send slot per destination,
//       sendmmsg in batches of 64 flushed once per read batch (and whenever 64 are queued), one
//       retry on EAGAIN then drop. Datagrams over 1500 bytes are dropped. Stops after S seconds
//       (default: on SIGINT/SIGTERM) and prints "received N sent N dropped N cpu_us N" (the
//       process's user + system CPU time, which includes the kernel's loopback delivery).
//   c-forwarder blast --to PORT [--size B] [--seconds S] [--cpu N]
//       Sends B-byte datagrams (default 200, sequence number in the first 4 bytes) to
//       127.0.0.1:PORT as fast as sendmmsg allows (batches of 64) for S seconds; prints the count.
//   c-forwarder sink [--warmup W] [--seconds S] [--cpu N] PORT...
//       Binds 127.0.0.1:PORT for each PORT, waits W seconds (default 1) counting nothing, then
//       counts every datagram received on all of them for S seconds (default 3) and prints
//       "packets N pps R" (R = N / S): the forwarder's output rate measured at the receivers.
//
// A round (what PERFORMANCE.md asks: forwarder pinned to one core, generator and sinks on the
// other, counted at the receivers):
//   c-forwarder sink --warmup 1 --seconds 3 --cpu 1 41001 ... 41009 &
//   c-forwarder forward --port 41000 --cpu 0 --seconds 5 41001 ... 41009 &
//   c-forwarder blast --to 41000 --seconds 5 --cpu 1
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define SLOT 2048
#define MAX_DATAGRAM 1500
#define MAX_PORTS 64

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int signal_number) {
    (void)signal_number;
    stop_requested = 1;
}

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void pin(int cpu) {
    if (cpu < 0) {
        return;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
        perror("sched_setaffinity");
    }
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

static int open_socket(int port, int nonblocking) {
    int fd = socket(AF_INET, SOCK_DGRAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) {
        perror("socket");
        exit(1);
    }
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    size = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    if (port >= 0) {
        struct sockaddr_in address = loopback(port);
        if (bind(fd, (struct sockaddr *)&address, sizeof(address)) != 0) {
            perror("bind");
            exit(1);
        }
    }
    return fd;
}

// The options every mode takes; what is left are the ports.
struct options {
    int port;
    int to;
    int cpu;
    int size;
    double seconds;
    double warmup;
    int ports[MAX_PORTS];
    int port_count;
};

static struct options parse(int argc, char **argv) {
    struct options options = {.port = -1, .to = -1, .cpu = -1, .size = 200, .seconds = 0, .warmup = 1};
    for (int i = 2; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--port") == 0) {
            options.port = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--to") == 0) {
            options.to = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--cpu") == 0) {
            options.cpu = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--size") == 0) {
            options.size = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0) {
            options.seconds = atof(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--warmup") == 0) {
            options.warmup = atof(argv[++i]);
        } else if (options.port_count < MAX_PORTS) {
            options.ports[options.port_count++] = atoi(argv[i]);
        }
    }
    if (options.size < 1 || options.size > SLOT) {
        options.size = 200;
    }
    return options;
}

// Sends count records, retrying the rest after a partial send, one retry on a full buffer, and
// dropping a record the kernel refuses. Returns how many were sent; adds drops to *dropped.
static long send_all(int fd, struct mmsghdr *headers, int count, long *dropped) {
    long sent = 0;
    int offset = 0;
    int retried = 0;
    while (offset < count) {
        int result = sendmmsg(fd, headers + offset, (unsigned)(count - offset), MSG_DONTWAIT);
        if (result > 0) {
            offset += result;
            sent += result;
            retried = 0;
            continue;
        }
        if (result < 0 && errno == EINTR) {
            continue;
        }
        if (result == 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
            if (!retried) {
                retried = 1;
                continue;
            }
            *dropped += count - offset;
            return sent;
        }
        *dropped += 1;
        offset += 1;
    }
    return sent;
}

static int forward(struct options options) {
    if (options.port < 0 || options.port_count == 0) {
        fprintf(stderr, "forward: --port P and at least one destination port\n");
        return 2;
    }
    pin(options.cpu);
    int fd = open_socket(options.port, 1);
    int epoll_fd = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 0};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);

    int fanout = options.port_count;
    struct sockaddr_in destinations[MAX_PORTS];
    for (int k = 0; k < fanout; k++) {
        destinations[k] = loopback(options.ports[k]);
    }
    // One allocation each for receive and send slots, as the Swift batches.
    uint8_t *receive_slots = aligned_alloc(64, BATCH * SLOT);
    uint8_t *send_slots = aligned_alloc(64, BATCH * SLOT);
    struct mmsghdr receive_headers[BATCH];
    struct iovec receive_vectors[BATCH];
    struct sockaddr_storage sources[BATCH];
    struct mmsghdr send_headers[BATCH];
    struct iovec send_vectors[BATCH];

    long received = 0;
    long sent = 0;
    long dropped = 0;
    double end = options.seconds > 0 ? now_seconds() + options.seconds : 0;
    while (!stop_requested) {
        int timeout_ms = -1;
        if (end > 0) {
            double left = end - now_seconds();
            if (left <= 0) {
                break;
            }
            timeout_ms = (int)(left * 1000) + 1;
        }
        struct epoll_event ready;
        int count = epoll_wait(epoll_fd, &ready, 1, timeout_ms);
        if (count <= 0) {
            continue;
        }
        for (;;) {
            for (int i = 0; i < BATCH; i++) {
                receive_vectors[i].iov_base = receive_slots + i * SLOT;
                receive_vectors[i].iov_len = SLOT;
                memset(&receive_headers[i], 0, sizeof(receive_headers[i]));
                receive_headers[i].msg_hdr.msg_name = &sources[i];
                receive_headers[i].msg_hdr.msg_namelen = sizeof(sources[i]);
                receive_headers[i].msg_hdr.msg_iov = &receive_vectors[i];
                receive_headers[i].msg_hdr.msg_iovlen = 1;
            }
            int got = recvmmsg(fd, receive_headers, BATCH, MSG_DONTWAIT, NULL);
            if (got <= 0) {
                break;
            }
            int queued = 0;
            for (int i = 0; i < got; i++) {
                unsigned length = receive_headers[i].msg_len;
                if ((receive_headers[i].msg_hdr.msg_flags & MSG_TRUNC) || length > MAX_DATAGRAM) {
                    continue;
                }
                received++;
                for (int k = 0; k < fanout; k++) {
                    if (queued == BATCH) {
                        sent += send_all(fd, send_headers, queued, &dropped);
                        queued = 0;
                    }
                    uint8_t *slot = send_slots + queued * SLOT;
                    memcpy(slot, receive_vectors[i].iov_base, length);
                    send_vectors[queued].iov_base = slot;
                    send_vectors[queued].iov_len = length;
                    memset(&send_headers[queued], 0, sizeof(send_headers[queued]));
                    send_headers[queued].msg_hdr.msg_name = &destinations[k];
                    send_headers[queued].msg_hdr.msg_namelen = sizeof(destinations[k]);
                    send_headers[queued].msg_hdr.msg_iov = &send_vectors[queued];
                    send_headers[queued].msg_hdr.msg_iovlen = 1;
                    queued++;
                }
            }
            if (queued > 0) {
                sent += send_all(fd, send_headers, queued, &dropped);
            }
            if (got < BATCH) {
                break;
            }
        }
    }
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    long cpu_us = (long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000L +
        (long)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
    printf("received %ld sent %ld dropped %ld cpu_us %ld\n", received, sent, dropped, cpu_us);
    return 0;
}

static int blast(struct options options) {
    if (options.to < 0) {
        fprintf(stderr, "blast: --to PORT\n");
        return 2;
    }
    pin(options.cpu);
    int fd = open_socket(-1, 0);
    struct sockaddr_in destination = loopback(options.to);
    uint8_t *slots = aligned_alloc(64, BATCH * SLOT);
    memset(slots, 0xA5, BATCH * SLOT);
    struct mmsghdr headers[BATCH];
    struct iovec vectors[BATCH];
    long sent = 0;
    double end = now_seconds() + (options.seconds > 0 ? options.seconds : 5);
    while (!stop_requested && now_seconds() < end) {
        for (int i = 0; i < BATCH; i++) {
            uint8_t *slot = slots + i * SLOT;
            uint32_t sequence = htonl((uint32_t)(sent + i));
            memcpy(slot, &sequence, sizeof(sequence));
            vectors[i].iov_base = slot;
            vectors[i].iov_len = (size_t)options.size;
            memset(&headers[i], 0, sizeof(headers[i]));
            headers[i].msg_hdr.msg_name = &destination;
            headers[i].msg_hdr.msg_namelen = sizeof(destination);
            headers[i].msg_hdr.msg_iov = &vectors[i];
            headers[i].msg_hdr.msg_iovlen = 1;
        }
        int result = sendmmsg(fd, headers, BATCH, 0);
        if (result > 0) {
            sent += result;
        }
    }
    printf("blasted %ld\n", sent);
    return 0;
}

static int sink(struct options options) {
    if (options.port_count == 0) {
        fprintf(stderr, "sink: at least one port\n");
        return 2;
    }
    pin(options.cpu);
    int epoll_fd = epoll_create1(0);
    int fds[MAX_PORTS];
    for (int p = 0; p < options.port_count; p++) {
        fds[p] = open_socket(options.ports[p], 1);
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)p};
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[p], &event);
    }
    uint8_t *slots = aligned_alloc(64, BATCH * SLOT);
    struct mmsghdr headers[BATCH];
    struct iovec vectors[BATCH];
    double seconds = options.seconds > 0 ? options.seconds : 3;
    double start = now_seconds() + options.warmup;
    double end = start + seconds;
    long packets = 0;
    for (;;) {
        double now = now_seconds();
        if (now >= end || stop_requested) {
            break;
        }
        struct epoll_event ready[MAX_PORTS];
        int count = epoll_wait(epoll_fd, ready, MAX_PORTS, (int)((end - now) * 1000) + 1);
        int counting = now_seconds() >= start;
        for (int r = 0; r < count; r++) {
            int fd = fds[ready[r].data.u32];
            for (;;) {
                for (int i = 0; i < BATCH; i++) {
                    vectors[i].iov_base = slots + i * SLOT;
                    vectors[i].iov_len = SLOT;
                    memset(&headers[i], 0, sizeof(headers[i]));
                    headers[i].msg_hdr.msg_iov = &vectors[i];
                    headers[i].msg_hdr.msg_iovlen = 1;
                }
                int got = recvmmsg(fd, headers, BATCH, MSG_DONTWAIT, NULL);
                if (got <= 0) {
                    break;
                }
                if (counting) {
                    packets += got;
                }
                if (got < BATCH) {
                    break;
                }
            }
        }
    }
    printf("packets %ld pps %.0f\n", packets, (double)packets / seconds);
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (argc < 2) {
        fprintf(stderr, "usage: c-forwarder forward|blast|sink [options] (see the comment at the top)\n");
        return 2;
    }
    struct options options = parse(argc, argv);
    if (strcmp(argv[1], "forward") == 0) {
        return forward(options);
    }
    if (strcmp(argv[1], "blast") == 0) {
        return blast(options);
    }
    if (strcmp(argv[1], "sink") == 0) {
        return sink(options);
    }
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
}
