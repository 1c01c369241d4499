/*
 * Benchmark data for bench/core.sh: one day of product_views and ads_views in the course format.
 *
 * usage: generate_core_data DIR [ROWS] [DATE]
 *   DIR/advertiser_ids  1,600 active ids out of 2,000 advertisers
 *   DIR/product_views   ROWS rows (default 10,000,000) on DATE (default 2026-11-22)
 *   DIR/ads_views       ROWS rows, about 99% impressions and 1% clicks
 *
 * Each advertiser owns a catalog of 2,500 products (5,000,000 distinct 6-character ids over
 * a-z0-9); rows pick an advertiser uniformly and a product with a skew towards the head of the
 * catalog, so a few million distinct (advertiser, product) pairs occur per file.
 * Deterministic: a fixed-seed xorshift generator.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ADVERTISERS = 2000, ACTIVE = 1600, CATALOG = 2500, ID_LENGTH = 20 };

static uint64_t state = 0x9E3779B97F4A7C15ull;

static uint64_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static double next_unit(void) { return (double)(next_random() >> 11) * (1.0 / 9007199254740992.0); }

static char advertisers[ADVERTISERS][ID_LENGTH];

/* A bijection of the global product index onto 6 base-36 characters. */
static void product_id(uint64_t index, char *out) {
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    const uint64_t space = 2176782336ull; /* 36^6, = 2^12 * 3^12; 1000003 is coprime to it */
    uint64_t value = (index * 1000003ull + 12345ull) % space;
    for (int i = 5; i >= 0; i--) {
        out[i] = digits[value % 36];
        value /= 36;
    }
}

static FILE *open_output(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "wb");
    if (!file) {
        perror(path);
        exit(1);
    }
    setvbuf(file, NULL, _IOFBF, 1 << 22);
    return file;
}

/* Writes "ADVERTISER,PRODUCT," into line and returns its length. */
static int row_prefix(char *line) {
    int advertiser = (int)(next_random() % ADVERTISERS);
    double u = next_unit();
    uint64_t item = (uint64_t)(u * u * CATALOG);
    memcpy(line, advertisers[advertiser], ID_LENGTH);
    line[ID_LENGTH] = ',';
    product_id((uint64_t)advertiser * CATALOG + item, line + ID_LENGTH + 1);
    line[ID_LENGTH + 7] = ',';
    return ID_LENGTH + 8;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [ROWS] [DATE]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    long rows = argc > 2 ? atol(argv[2]) : 10000000L;
    const char *date = argc > 3 ? argv[3] : "2026-11-22";
    if (strlen(date) != 10) {
        fprintf(stderr, "DATE must be YYYY-MM-DD\n");
        return 2;
    }
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int a = 0; a < ADVERTISERS; a++)
        for (int i = 0; i < ID_LENGTH; i++) advertisers[a][i] = alphabet[next_random() % 36];

    FILE *ids = open_output(dir, "advertiser_ids");
    fputs("advertiser_id\n", ids);
    for (int a = 0; a < ACTIVE; a++) {
        fwrite(advertisers[a], 1, ID_LENGTH, ids);
        fputc('\n', ids);
    }
    fclose(ids);

    char line[128];
    FILE *views = open_output(dir, "product_views");
    fputs("advertiser_id,product_id,date\n", views);
    for (long r = 0; r < rows; r++) {
        int length = row_prefix(line);
        memcpy(line + length, date, 10);
        line[length + 10] = '\n';
        fwrite(line, 1, (size_t)length + 11, views);
    }
    fclose(views);

    FILE *ads = open_output(dir, "ads_views");
    fputs("advertiser_id,product_id,type,date\n", ads);
    for (long r = 0; r < rows; r++) {
        int length = row_prefix(line);
        const char *type = next_random() % 100 == 0 ? "click," : "impression,";
        size_t type_length = strlen(type);
        memcpy(line + length, type, type_length);
        memcpy(line + length + type_length, date, 10);
        line[length + type_length + 10] = '\n';
        fwrite(line, 1, (size_t)length + type_length + 11, ads);
    }
    fclose(ads);
    return 0;
}
