/* A CPU floor for a libpcap-based reader: pcap_next_ex over every packet, adding up every byte
 * (a sum, so the compiler cannot skip the reads). The memory floor, which the targets use, is
 * pcap_lines.c (one byte per 64-byte cache line). Prints packets, bytes and the sum. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdint.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: pcap_floor FILE\n"); return 2; }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) { fprintf(stderr, "pcap_floor: %s\n", err); return 2; }
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t packets = 0, bytes = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        bytes += h->caplen;
        for (bpf_u_int32 i = 0; i < h->caplen; i++) sum += data[i];
    }
    if (rc == PCAP_ERROR) fprintf(stderr, "pcap_floor: %s\n", pcap_geterr(p));
    printf("%llu packets %llu bytes sum %llu\n", (unsigned long long)packets, (unsigned long long)bytes,
           (unsigned long long)sum);
    pcap_close(p);
    return 0;
}
