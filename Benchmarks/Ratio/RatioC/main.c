// ratio-c: the C side of Tools/ratio.sh (Parley's relay against the C limit, side by side).
// Loopback only (127.0.0.1); every loop ends after a bounded time.
//
//   RatioC forward --port P --key HEX [--cpu N] [--seconds S] DEST_PORT...
//       The C forwarder: binds 127.0.0.1:P; epoll_wait, then recvmmsg (MSG_DONTWAIT, 64 x
//       2048-byte slots) until a short batch; each datagram (<= 1500 bytes) is unprotected in
//       place with libsrtp (AEAD_AES_128_GCM, master key + salt HEX, any SSRC), then for each of
//       the K = number of DEST_PORTs: copied into a send slot, its SSRC rewritten to
//       0x5EED1000 + k + 2 (what Parley's relay does too), protected with subscriber k's own
//       session (its own key), and queued to 127.0.0.1:DEST_PORT; sendmmsg in batches of 64,
//       flushed once per read batch (and when 64 are queued), one retry on EAGAIN then drop.
//       Ends after S seconds (default 10) or SIGTERM; prints
//       "forward received N unprotected N sent N dropped N srtp_errors N".
//   RatioC load --relay P --base B --key HEX [--size BYTES] [--pt PT] [--rate PPS]
//               [--warmup W] [--seconds S] [--subscribers K] [--cpu N] [--watch PID]
//       The traffic: one generator thread sends RTP packets of BYTES bytes (header included,
//       before the 16-byte GCM tag; SSRC 0x5EED0001, payload type PT, advancing sequence numbers
//       and timestamps) from 127.0.0.1:B to 127.0.0.1:P, protected with libsrtp (key HEX) in
//       batches of 32 just before each sendmmsg, paced at PPS packets per second (the rate is
//       the offered load; set it above what the forwarder can take; time lost to the scheduler
//       is skipped, not made up in a burst). One receiver thread binds
//       127.0.0.1:B+1 ... B+K (the subscribers) and counts, per subscriber, the datagrams of
//       BYTES+16 bytes carrying an RTP header with payload type PT (RTCP and anything else the
//       relay sends is not counted) received during S seconds after a W-second warm-up. Both
//       threads are pinned to CPU N. Prints "load offered_pps R sent N delivered N pps R
//       per_subscriber_min N per_subscriber_max N"; with --watch, also the CPU time process PID
//       (the forwarder) ran during the counted window and the time it waited for a CPU, from
//       /proc/PID/task/*/schedstat, and the packets delivered per CPU-second it ran:
//       "watch forwarder_cpu_s X forwarder_wait_s Y runnable_share F per_cpu_s R" (F: the share
//       of the window the forwarder was running or waiting for a CPU; below 1 it sometimes had
//       nothing to do, so it was not saturated).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <srtp2/srtp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define SLOT 2048
#define MAX_DATAGRAM 1500
#define MAX_PORTS 63
#define GENERATOR_BATCH 32
#define GCM_TAG 16
#define KEY_LENGTH 28  // AEAD_AES_128_GCM: 16-byte master key + 12-byte master salt
#define PUBLISHER_SSRC 0x5EED0001u
#define SUBSCRIBER_SSRC_BASE 0x5EED1000u

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
    // Pins the calling thread (each thread of `load` calls it for itself).
    if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0) {
        fprintf(stderr, "ratio-c: cannot pin to CPU %d\n", cpu);
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

// The same buffer sizes as RelaySocket's defaults (4 MiB receive, 1 MiB send).
static int open_socket(int port) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        perror("socket");
        exit(1);
    }
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    size = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    struct sockaddr_in address = loopback(port);
    if (bind(fd, (struct sockaddr *)&address, sizeof(address)) != 0) {
        fprintf(stderr, "ratio-c: bind 127.0.0.1:%d: %s\n", port, strerror(errno));
        exit(1);
    }
    return fd;
}

static int parse_key(const char *hex, uint8_t key[KEY_LENGTH]) {
    if (hex == NULL || strlen(hex) != 2 * KEY_LENGTH) {
        return -1;
    }
    for (int i = 0; i < KEY_LENGTH; i++) {
        unsigned value;
        if (sscanf(hex + 2 * i, "%2x", &value) != 1) {
            return -1;
        }
        key[i] = (uint8_t)value;
    }
    return 0;
}

// A libsrtp session for AEAD_AES_128_GCM with `key` (copied: libsrtp reads it at creation).
static srtp_t make_session(const uint8_t key[KEY_LENGTH], int inbound) {
    srtp_policy_t policy;
    memset(&policy, 0, sizeof(policy));
    srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, srtp_profile_aead_aes_128_gcm);
    srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, srtp_profile_aead_aes_128_gcm);
    uint8_t copy[KEY_LENGTH];
    memcpy(copy, key, KEY_LENGTH);
    policy.key = copy;
    policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.window_size = 1024;
    policy.allow_repeat_tx = 0;
    srtp_t session;
    if (srtp_create(&session, &policy) != srtp_err_status_ok) {
        fprintf(stderr, "ratio-c: srtp_create failed\n");
        exit(1);
    }
    return session;
}

struct options {
    int port;
    int relay;
    int base;
    int cpu;
    int size;
    int payload_type;
    int subscribers;
    double rate;
    double seconds;
    double warmup;
    const char *key;
    int watch;
    int ports[MAX_PORTS];
    int port_count;
};

static struct options parse(int argc, char **argv) {
    struct options options = {
        .port = -1,
        .relay = -1,
        .base = -1,
        .cpu = -1,
        .size = 200,
        .payload_type = 111,
        .subscribers = 9,
        .rate = 60000,
        .seconds = 0,
        .warmup = 1,
        .watch = -1,
    };
    for (int i = 2; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--port") == 0) {
            options.port = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--relay") == 0) {
            options.relay = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--base") == 0) {
            options.base = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--cpu") == 0) {
            options.cpu = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--size") == 0) {
            options.size = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--pt") == 0) {
            options.payload_type = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--subscribers") == 0) {
            options.subscribers = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--rate") == 0) {
            options.rate = atof(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0) {
            options.seconds = atof(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--warmup") == 0) {
            options.warmup = atof(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--watch") == 0) {
            options.watch = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--key") == 0) {
            options.key = argv[++i];
        } else if (options.port_count < MAX_PORTS) {
            options.ports[options.port_count++] = atoi(argv[i]);
        }
    }
    return options;
}

// Sends count records, retrying the rest after a partial send, one retry on a full buffer, and
// dropping what the kernel refuses (the shape of RelaySocket's flush). Returns how many were sent.
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

static void write_be32(uint8_t *bytes, uint32_t value) {
    bytes[0] = (uint8_t)(value >> 24);
    bytes[1] = (uint8_t)(value >> 16);
    bytes[2] = (uint8_t)(value >> 8);
    bytes[3] = (uint8_t)value;
}

static int forward(struct options options) {
    uint8_t key[KEY_LENGTH];
    if (options.port < 0 || options.port_count == 0 || parse_key(options.key, key) != 0) {
        fprintf(stderr, "forward: --port P --key HEX(56) and at least one destination port\n");
        return 2;
    }
    pin(options.cpu);
    int fd = open_socket(options.port);
    int epoll_fd = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 0};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);

    int fanout = options.port_count;
    struct sockaddr_in destinations[MAX_PORTS];
    srtp_t outbound[MAX_PORTS];
    for (int k = 0; k < fanout; k++) {
        destinations[k] = loopback(options.ports[k]);
        // Each subscriber its own key: the publisher's with the first bytes changed.
        uint8_t subscriber_key[KEY_LENGTH];
        memcpy(subscriber_key, key, KEY_LENGTH);
        subscriber_key[0] ^= (uint8_t)(k + 1);
        subscriber_key[1] ^= 0x5A;
        outbound[k] = make_session(subscriber_key, 0);
    }
    srtp_t inbound = make_session(key, 1);

    uint8_t *receive_slots = aligned_alloc(64, BATCH * SLOT);
    uint8_t *send_slots = aligned_alloc(64, BATCH * SLOT);
    struct mmsghdr receive_headers[BATCH];
    struct iovec receive_vectors[BATCH];
    struct sockaddr_storage sources[BATCH];
    struct mmsghdr send_headers[BATCH];
    struct iovec send_vectors[BATCH];

    long received = 0;
    long unprotected = 0;
    long sent = 0;
    long dropped = 0;
    long srtp_errors = 0;
    double end = now_seconds() + (options.seconds > 0 ? options.seconds : 10);
    while (!stop_requested) {
        double left = end - now_seconds();
        if (left <= 0) {
            break;
        }
        struct epoll_event ready;
        int count = epoll_wait(epoll_fd, &ready, 1, (int)(left * 1000) + 1);
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
                int length = (int)receive_headers[i].msg_len;
                if ((receive_headers[i].msg_hdr.msg_flags & MSG_TRUNC) || length > MAX_DATAGRAM || length < 12) {
                    continue;
                }
                received++;
                uint8_t *packet = receive_vectors[i].iov_base;
                if (srtp_unprotect(inbound, packet, &length) != srtp_err_status_ok) {
                    srtp_errors++;
                    continue;
                }
                unprotected++;
                for (int k = 0; k < fanout; k++) {
                    if (queued == BATCH) {
                        sent += send_all(fd, send_headers, queued, &dropped);
                        queued = 0;
                    }
                    uint8_t *slot = send_slots + queued * SLOT;
                    memcpy(slot, packet, (size_t)length);
                    write_be32(slot + 8, SUBSCRIBER_SSRC_BASE + (uint32_t)k + 2);
                    int protected_length = length;
                    if (srtp_protect(outbound[k], slot, &protected_length) != srtp_err_status_ok) {
                        srtp_errors++;
                        continue;
                    }
                    send_vectors[queued].iov_base = slot;
                    send_vectors[queued].iov_len = (size_t)protected_length;
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
    printf("forward received %ld unprotected %ld sent %ld dropped %ld srtp_errors %ld\n", received, unprotected,
           sent, dropped, srtp_errors);
    return 0;
}

// Shared between the two threads of `load`: written before they start, then read only.
struct load_plan {
    struct options options;
    uint8_t key[KEY_LENGTH];
    double start;  // when the generator starts
    double count_from;  // start + warm-up
    double count_until;  // count_from + seconds
    long sent;  // written by the generator, read after the join
    long counts[MAX_PORTS];  // written by the receiver, read after the join
};

static void *generate(void *argument) {
    struct load_plan *plan = argument;
    pin(plan->options.cpu);
    int fd = open_socket(plan->options.base);
    struct sockaddr_in relay = loopback(plan->options.relay);
    srtp_t session = make_session(plan->key, 0);
    int size = plan->options.size;
    uint8_t *slots = aligned_alloc(64, GENERATOR_BATCH * SLOT);
    struct mmsghdr headers[GENERATOR_BATCH];
    struct iovec vectors[GENERATOR_BATCH];
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    long sent = 0;
    long batches = 0;
    double interval = GENERATOR_BATCH / plan->options.rate;
    // Until the receiver stops counting, and a little longer so that the pipe stays full.
    double end = plan->count_until + 0.2;
    while (!stop_requested) {
        double due = plan->start + (double)batches * interval;
        double now = now_seconds();
        if (now >= end) {
            break;
        }
        if (due > now) {
            struct timespec pause = {.tv_sec = 0, .tv_nsec = (long)((due - now) * 1e9)};
            nanosleep(&pause, NULL);
        } else if (now - due > 4 * interval) {
            // Descheduled (the machine is shared): skip what was missed instead of sending it in
            // one burst, which would only overflow the forwarder's socket in a long run.
            batches = (long)((now - plan->start) / interval);
        }
        batches++;
        for (int i = 0; i < GENERATOR_BATCH; i++) {
            uint8_t *packet = slots + i * SLOT;
            sequence++;
            timestamp += 960;
            packet[0] = 0x80;
            packet[1] = (uint8_t)plan->options.payload_type;
            packet[2] = (uint8_t)(sequence >> 8);
            packet[3] = (uint8_t)sequence;
            write_be32(packet + 4, timestamp);
            write_be32(packet + 8, PUBLISHER_SSRC);
            for (int b = 12; b < size; b++) {
                packet[b] = (uint8_t)(sequence * 31 + b);
            }
            int length = size;
            if (srtp_protect(session, packet, &length) != srtp_err_status_ok) {
                fprintf(stderr, "load: srtp_protect failed\n");
                exit(1);
            }
            vectors[i].iov_base = packet;
            vectors[i].iov_len = (size_t)length;
            memset(&headers[i], 0, sizeof(headers[i]));
            headers[i].msg_hdr.msg_name = &relay;
            headers[i].msg_hdr.msg_namelen = sizeof(relay);
            headers[i].msg_hdr.msg_iov = &vectors[i];
            headers[i].msg_hdr.msg_iovlen = 1;
        }
        long dropped = 0;
        sent += send_all(fd, headers, GENERATOR_BATCH, &dropped);
    }
    plan->sent = sent;
    close(fd);
    return NULL;
}

static void *receive(void *argument) {
    struct load_plan *plan = argument;
    pin(plan->options.cpu);
    int subscribers = plan->options.subscribers;
    int epoll_fd = epoll_create1(0);
    int fds[MAX_PORTS];
    for (int p = 0; p < subscribers; p++) {
        fds[p] = open_socket(plan->options.base + 1 + p);
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)p};
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[p], &event);
    }
    uint8_t *slots = aligned_alloc(64, BATCH * SLOT);
    struct mmsghdr headers[BATCH];
    struct iovec vectors[BATCH];
    unsigned expected_length = (unsigned)(plan->options.size + GCM_TAG);
    uint8_t expected_type = (uint8_t)plan->options.payload_type;
    for (;;) {
        double now = now_seconds();
        if (now >= plan->count_until || stop_requested) {
            break;
        }
        struct epoll_event ready[MAX_PORTS];
        int count = epoll_wait(epoll_fd, ready, MAX_PORTS, (int)((plan->count_until - now) * 1000) + 1);
        // Read once per wake-up: a batch straddling a boundary is counted by the time it is read.
        now = now_seconds();
        int counting = now >= plan->count_from && now < plan->count_until;
        for (int r = 0; r < count; r++) {
            int p = (int)ready[r].data.u32;
            for (;;) {
                for (int i = 0; i < BATCH; i++) {
                    vectors[i].iov_base = slots + i * SLOT;
                    vectors[i].iov_len = SLOT;
                    memset(&headers[i], 0, sizeof(headers[i]));
                    headers[i].msg_hdr.msg_iov = &vectors[i];
                    headers[i].msg_hdr.msg_iovlen = 1;
                }
                int got = recvmmsg(fds[p], headers, BATCH, MSG_DONTWAIT, NULL);
                if (got <= 0) {
                    break;
                }
                if (counting) {
                    for (int i = 0; i < got; i++) {
                        const uint8_t *bytes = vectors[i].iov_base;
                        if (headers[i].msg_len == expected_length && (bytes[0] & 0xC0) == 0x80 &&
                            (bytes[1] & 0x7F) == expected_type) {
                            plan->counts[p]++;
                        }
                    }
                }
                if (got < BATCH) {
                    break;
                }
            }
        }
    }
    // The sockets stay open until the process exits: the generator runs 0.2 s longer, and
    // sending to closed ports would cost the forwarder ICMP work.
    return NULL;
}

// The CPU time (ns) the threads of process `pid` have run, and the time they waited for a CPU
// while runnable, from /proc/PID/task/*/schedstat. Zeros when the process is gone.
static void process_times(int pid, double *running, double *waiting) {
    *running = 0;
    *waiting = 0;
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/task", pid);
    DIR *tasks = opendir(path);
    if (tasks == NULL) {
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char file[300];
        snprintf(file, sizeof(file), "/proc/%d/task/%s/schedstat", pid, entry->d_name);
        FILE *stat = fopen(file, "r");
        if (stat == NULL) {
            continue;
        }
        unsigned long long run = 0;
        unsigned long long wait = 0;
        if (fscanf(stat, "%llu %llu", &run, &wait) == 2) {
            *running += (double)run;
            *waiting += (double)wait;
        }
        fclose(stat);
    }
    closedir(tasks);
}

static void sleep_until(double when) {
    double left = when - now_seconds();
    if (left > 0) {
        struct timespec pause = {.tv_sec = (time_t)left, .tv_nsec = (long)((left - (double)(time_t)left) * 1e9)};
        nanosleep(&pause, NULL);
    }
}

static int load(struct options options) {
    static struct load_plan plan;
    if (options.relay < 0 || options.base < 0 || parse_key(options.key, plan.key) != 0 || options.size < 12 ||
        options.size > MAX_DATAGRAM - GCM_TAG || options.subscribers < 1 || options.subscribers > MAX_PORTS ||
        options.rate <= 0 || options.seconds <= 0 || options.seconds > 60 || options.warmup < 0 ||
        options.warmup > 10) {
        fprintf(stderr, "load: --relay P --base B --key HEX(56) --seconds S (<= 60), size 12...%d\n",
                MAX_DATAGRAM - GCM_TAG);
        return 2;
    }
    plan.options = options;
    // The receivers bind first (the generator starts 50 ms later), so that nothing is lost to
    // closed ports at the start.
    plan.start = now_seconds() + 0.05;
    plan.count_from = plan.start + options.warmup;
    plan.count_until = plan.count_from + options.seconds;
    pthread_t receiver;
    pthread_t generator;
    pthread_create(&receiver, NULL, receive, &plan);
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    pthread_create(&generator, NULL, generate, &plan);
    // The forwarder's CPU time over the counted window (--watch PID): packets per CPU-second
    // compare the two forwarders' cost even when the scheduler gives them unequal shares.
    double run_start = 0, wait_start = 0, run_end = 0, wait_end = 0;
    if (options.watch > 0) {
        sleep_until(plan.count_from);
        process_times(options.watch, &run_start, &wait_start);
        sleep_until(plan.count_until);
        process_times(options.watch, &run_end, &wait_end);
    }
    pthread_join(generator, NULL);
    pthread_join(receiver, NULL);
    long delivered = 0;
    long minimum = -1;
    long maximum = 0;
    for (int p = 0; p < options.subscribers; p++) {
        delivered += plan.counts[p];
        if (minimum < 0 || plan.counts[p] < minimum) {
            minimum = plan.counts[p];
        }
        if (plan.counts[p] > maximum) {
            maximum = plan.counts[p];
        }
    }
    printf("load offered_pps %.0f sent %ld delivered %ld pps %.0f per_subscriber_min %ld per_subscriber_max %ld\n",
           options.rate, plan.sent, delivered, (double)delivered / options.seconds, minimum, maximum);
    if (options.watch > 0) {
        double cpu = (run_end - run_start) / 1e9;
        double wait = (wait_end - wait_start) / 1e9;
        printf("watch forwarder_cpu_s %.3f forwarder_wait_s %.3f runnable_share %.2f per_cpu_s %.0f\n", cpu, wait,
               (cpu + wait) / options.seconds, cpu > 0 ? (double)delivered / cpu : 0.0);
    }
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (argc < 2) {
        fprintf(stderr, "usage: RatioC forward|load [options] (see the comment at the top of main.c)\n");
        return 2;
    }
    if (srtp_init() != srtp_err_status_ok) {
        fprintf(stderr, "ratio-c: srtp_init failed\n");
        return 1;
    }
    struct options options = parse(argc, argv);
    if (strcmp(argv[1], "forward") == 0) {
        return forward(options);
    }
    if (strcmp(argv[1], "load") == 0) {
        return load(options);
    }
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
}
