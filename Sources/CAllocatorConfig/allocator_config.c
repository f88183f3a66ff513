// jemalloc's options for the buttonscope process, read once when it starts (its `malloc_conf`).
// Two arenas: the CLI's busy threads are at most two (a collector's intake and its watch loop, or a
// file's decoding and analysis); jemalloc's default of four per core spread a collector's messages
// over eight and held more memory for no speed. Freed pages go back to the system after a second,
// not ten: a collector's memory stays near what it holds (BENCHMARKS.md, "The allocator").
const char *malloc_conf = "narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0";
