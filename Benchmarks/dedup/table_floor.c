// The LSH table work of one insert+query, alone, in plain C: the floor under ClusterIndex's
// index figures on this machine (SiftBench dedup compiles and runs it when a C compiler exists).
//
// Per document: one 64-bit key per band from a pseudo-random generator (no signature, no
// verification, no per-document columns), all home entries loaded first, linear probing to the
// key or an empty entry, then each entry written (fingerprint << 32 | document + 1) — the same
// table layout, load limit (0.8) and huge-page advice as ClusterIndex sized in advance. The
// table's first touch is timed, as it is in the index runs. With AT_SIZE, that many more documents
// follow, timed apart: the table work with the index already holding DOCUMENTS.
//
// Usage: table_floor DOCUMENTS BANDS [AT_SIZE]; prints {"floor_ops_per_second": …,
// "floor_at_size_ops_per_second": …, "table_entries": …}.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    long documents = atol(argv[1]);
    int bands = atoi(argv[2]);
    long at_size = argc > 3 ? atol(argv[3]) : 0;
    if (documents <= 0 || bands <= 0 || bands > 128 || at_size < 0) return 2;
    size_t capacity = 1024;
    while ((size_t)(documents + at_size) * (size_t)bands * 10 > capacity * 8) capacity *= 2;
    size_t bytes = capacity * sizeof(uint64_t);
    uint64_t *table = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (table == MAP_FAILED) return 1;
    madvise(table, bytes, MADV_HUGEPAGE);
    size_t mask = capacity - 1;
    uint64_t keys[128];
    size_t positions[128];
    uint64_t state = 0x12345678, touched = 0;
    double start = cpu_seconds(), elapsed = 0;
    for (long document = 0; document < documents + at_size; document++) {
        if (document == documents) {
            elapsed = cpu_seconds() - start;
            start = cpu_seconds();
        }
        for (int band = 0; band < bands; band++) {
            uint64_t fingerprint = splitmix(&state) >> 32;
            if (fingerprint == 0) fingerprint = 1;
            keys[band] = fingerprint;
            positions[band] = (size_t)((fingerprint * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
            touched |= table[positions[band]];
        }
        for (int band = 0; band < bands; band++) {
            size_t position = positions[band];
            while (table[position] != 0 && table[position] >> 32 != keys[band]) position = (position + 1) & mask;
            positions[band] = position;
        }
        for (int band = 0; band < bands; band++) table[positions[band]] = keys[band] << 32 | (uint64_t)(document + 1);
    }
    double at_size_elapsed = cpu_seconds() - start;
    if (at_size == 0) elapsed = at_size_elapsed;
    printf("{\"floor_ops_per_second\": %.1f, \"floor_at_size_ops_per_second\": %.1f, \"table_entries\": %zu, "
           "\"touched\": %llu}\n",
        documents / elapsed, at_size > 0 ? at_size / at_size_elapsed : 0.0, capacity,
        (unsigned long long)(touched & 1));
    return 0;
}
