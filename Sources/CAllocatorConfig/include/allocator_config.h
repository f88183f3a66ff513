// jemalloc reads `malloc_conf` (allocator_config.c); nothing here to call.
