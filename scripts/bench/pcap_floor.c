/* Floors of a libpcap-based reader: pcap_next_ex over every packet, nothing else.
 * Built as is, it adds up every byte: a CPU floor (pcap_floor).
 * Built with -DCACHE_LINES, it reads one byte of each 64-byte cache line, so every line of the file is
 * fetched but no CPU work is done per byte: the memory floor the targets use (pcap_lines).
 * Prints packets, bytes and the sum of the bytes read (so the compiler cannot skip the reads). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdint.h>

#ifdef CACHE_LINES
#define NAME "pcap_lines"
#else
#define NAME "pcap_floor"
#endif

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: " NAME " FILE\n"); return 2; }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) { fprintf(stderr, NAME ": %s\n", err); return 2; }
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t packets = 0, bytes = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        bytes += h->caplen;
#ifdef CACHE_LINES
        if (h->caplen == 0) continue;
        /* The first byte of every cache line the packet touches, and its last byte. */
        uintptr_t line = (uintptr_t)data & ~(uintptr_t)63;
        uintptr_t end = (uintptr_t)data + h->caplen;
        sum += data[0];
        for (line += 64; line < end; line += 64) sum += *(const u_char *)line;
        sum += data[h->caplen - 1];
#else
        for (bpf_u_int32 i = 0; i < h->caplen; i++) sum += data[i];
#endif
    }
    if (rc == PCAP_ERROR) fprintf(stderr, NAME ": %s\n", pcap_geterr(p));
    printf("%llu packets %llu bytes sum %llu\n", (unsigned long long)packets, (unsigned long long)bytes,
           (unsigned long long)sum);
    pcap_close(p);
    return 0;
}
