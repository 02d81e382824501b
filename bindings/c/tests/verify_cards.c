/* The C ABI exercised from C, as a kiosk integrator would: verify every sample card (from its
 * folder and from memory), then every error path (NULL pointers, bad paths, bad UTF-8, wrong
 * kinds of trust material, bad options, a wrong AA challenge), freeing everything. Run by
 * tests/c_program.rs under AddressSanitizer with leak detection.
 *
 *   verify_cards TESTDATA CASES        CASES: lines "dir verdict aa_challenge_hex"
 *   verify_cards --read READER CAN WRONG_CAN OUT_DIR TESTDATA   (needs pcscd + a virtual card)
 */
#include "cccd.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        checks++;                                                            \
        if (!(cond)) {                                                       \
            failures++;                                                      \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fprintf(stderr, " (last error: %s)\n",                           \
                    cccd_last_error() ? cccd_last_error() : "none");         \
        }                                                                    \
    } while (0)

static const char *verdict_name(CccdVerdict v) {
    switch (v) {
    case CCCD_VERDICT_VERIFIED: return "verified";
    case CCCD_VERDICT_NOT_VERIFIED: return "not_verified";
    case CCCD_VERDICT_INCONCLUSIVE: return "inconclusive";
    default: return "invalid";
    }
}

/* 2025-06-01T00:00:00Z, the reference day of the sample cards. */
static const int64_t REFERENCE_DAY = 1748736000;

static int hex_to_bytes(const char *hex, uint8_t out[8]) {
    if (strlen(hex) != 16) return 0;
    for (int i = 0; i < 8; i++) {
        unsigned int b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1) return 0;
        out[i] = (uint8_t)b;
    }
    return 1;
}

static CccdTrust *load_trust(const char *testdata) {
    static const char *anchors[] = {"pki/csca-rsa.crt.pem", "pki/csca-ec.crt.pem",
                                    "pki/csca-ec-explicit.crt.pem"};
    char path[4096];
    CccdTrust *trust = cccd_trust_new();
    CHECK(trust != NULL, "cccd_trust_new gave NULL");
    for (size_t i = 0; i < sizeof anchors / sizeof *anchors; i++) {
        snprintf(path, sizeof path, "%s/%s", testdata, anchors[i]);
        CHECK(cccd_trust_add_csca(trust, path) == CCCD_STATUS_OK, "add_csca %s", path);
    }
    snprintf(path, sizeof path, "%s/pki/csca-ec.crl.pem", testdata);
    CHECK(cccd_trust_add_crl(trust, path) == CCCD_STATUS_OK, "add_crl %s", path);
    return trust;
}

/* Read every file of a folder into memory (names and bytes). */
typedef struct {
    CccdFile files[64];
    char *names[64];
    uint8_t *data[64];
    size_t count;
} Loaded;

static void load_folder(const char *dir, Loaded *out) {
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    CHECK(d != NULL, "opendir %s", dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && out->count < 64) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
        size_t got = fread(buf, 1, (size_t)len, f);
        fclose(f);
        size_t i = out->count++;
        out->names[i] = strdup(e->d_name);
        out->data[i] = buf;
        out->files[i].name = out->names[i];
        out->files[i].data = buf;
        out->files[i].len = got;
    }
    closedir(d);
}

static void free_folder(Loaded *l) {
    for (size_t i = 0; i < l->count; i++) {
        free(l->names[i]);
        free(l->data[i]);
    }
}

/* Verify one card from its folder and from memory; both must give `want`. */
static void verify_card(const CccdTrust *trust, const char *testdata, const char *dir,
                        const char *want, const char *challenge_hex) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", testdata, dir);
    uint8_t challenge[8];
    CccdVerifyOptions options = {0};
    options.at_unix_seconds = REFERENCE_DAY;
    if (hex_to_bytes(challenge_hex, challenge)) options.aa_challenge = challenge;

    CccdReport *report = NULL;
    CHECK(cccd_verify_dir(trust, path, &options, &report) == CCCD_STATUS_OK, "verify %s", dir);
    CHECK(strcmp(verdict_name(cccd_report_verdict(report)), want) == 0, "%s: verdict %s, want %s",
          dir, verdict_name(cccd_report_verdict(report)), want);
    char *json = cccd_report_json(report);
    char expected[64];
    snprintf(expected, sizeof expected, "\"verdict\":\"%s\"", want);
    CHECK(json != NULL && strstr(json, expected) != NULL, "%s: JSON lacks %s", dir, expected);
    CHECK(json != NULL && strstr(json, "\"checks\":[") != NULL, "%s: JSON lacks checks", dir);
    cccd_string_free(json);
    cccd_report_free(report);

    Loaded loaded;
    load_folder(path, &loaded);
    report = NULL;
    CHECK(cccd_verify_files(trust, loaded.files, loaded.count, &options, &report) == CCCD_STATUS_OK,
          "verify_files %s", dir);
    CHECK(strcmp(verdict_name(cccd_report_verdict(report)), want) == 0,
          "%s in memory: verdict %s, want %s", dir, verdict_name(cccd_report_verdict(report)), want);
    cccd_report_free(report);
    free_folder(&loaded);
}

static void *other_thread(void *arg) {
    (void)arg;
    CccdReport *report = NULL;
    CccdStatus s = cccd_verify_dir(NULL, "x", NULL, &report);
    return (void *)(intptr_t)(s == CCCD_STATUS_NULL_POINTER && cccd_last_error() != NULL);
}

static void error_paths(const CccdTrust *trust, const char *testdata, const char *valid_dir,
                        const char *valid_challenge) {
    char path[4096], csca[4096];
    snprintf(path, sizeof path, "%s/%s", testdata, valid_dir);
    snprintf(csca, sizeof csca, "%s/pki/csca-ec.crt.pem", testdata);
    CccdReport *report = (CccdReport *)&report; /* must be reset to NULL on failure */

    /* NULL pointers. */
    CHECK(cccd_trust_add_csca(NULL, csca) == CCCD_STATUS_NULL_POINTER, "add_csca(NULL trust)");
    CHECK(cccd_last_error() && strstr(cccd_last_error(), "trust"), "message names trust");
    CccdTrust *scratch = cccd_trust_new();
    CHECK(cccd_trust_add_csca(scratch, NULL) == CCCD_STATUS_NULL_POINTER, "add_csca(NULL path)");
    CHECK(cccd_verify_dir(NULL, path, NULL, &report) == CCCD_STATUS_NULL_POINTER, "NULL trust");
    CHECK(report == NULL, "out reset to NULL on failure");
    CHECK(cccd_verify_dir(trust, NULL, NULL, &report) == CCCD_STATUS_NULL_POINTER, "NULL path");
    CHECK(cccd_verify_dir(trust, path, NULL, NULL) == CCCD_STATUS_NULL_POINTER, "NULL out");
    CHECK(cccd_verify_files(trust, NULL, 3, NULL, &report) == CCCD_STATUS_NULL_POINTER, "NULL files");
    CccdFile nameless = {NULL, (const uint8_t *)"x", 1};
    CHECK(cccd_verify_files(trust, &nameless, 1, NULL, &report) == CCCD_STATUS_NULL_POINTER,
          "NULL file name");
    CccdFile dataless = {"EF.SOD", NULL, 10};
    CHECK(cccd_verify_files(trust, &dataless, 1, NULL, &report) == CCCD_STATUS_NULL_POINTER,
          "NULL file data");
    CHECK(cccd_verify_document(trust, NULL, NULL, &report) == CCCD_STATUS_NULL_POINTER, "NULL doc");
    CHECK(cccd_report_verdict(NULL) == CCCD_VERDICT_INVALID, "verdict of NULL");
    CHECK(cccd_report_json(NULL) == NULL, "JSON of NULL");
    CHECK(cccd_document_save(NULL, "/tmp/x") == CCCD_STATUS_NULL_POINTER, "save NULL doc");
    CHECK(cccd_read_card(NULL, NULL, false, 0, NULL) == CCCD_STATUS_NULL_POINTER, "read NULL");
    cccd_report_free(NULL);
    cccd_string_free(NULL);
    cccd_trust_free(NULL);
    cccd_document_free(NULL);

    /* Bad paths and bad bytes. */
    CHECK(cccd_trust_add_csca(scratch, "/no/such/csca.pem") == CCCD_STATUS_BAD_INPUT, "missing csca");
    CHECK(cccd_last_error() && strstr(cccd_last_error(), "/no/such/csca.pem"), "names the path");
    CHECK(cccd_trust_add_crl(scratch, csca) == CCCD_STATUS_BAD_INPUT, "a CSCA given as a CRL");
    CHECK(cccd_trust_add_masterlist(scratch, csca) == CCCD_STATUS_BAD_INPUT, "a CSCA as a list");
    CHECK(cccd_verify_dir(trust, "/no/such/dump", NULL, &report) == CCCD_STATUS_BAD_INPUT, "bad dump");
    CHECK(report == NULL, "no report for a bad dump");
    const char bad_utf8[] = {'/', 't', 'm', 'p', '/', (char)0xff, 0};
    CHECK(cccd_verify_dir(trust, bad_utf8, NULL, &report) == CCCD_STATUS_BAD_INPUT, "bad UTF-8");
    CccdFile junk = {"README", (const uint8_t *)"hello", 5};
    CHECK(cccd_verify_files(trust, &junk, 1, NULL, &report) == CCCD_STATUS_BAD_INPUT, "no card files");
    CHECK(cccd_verify_files(trust, NULL, 0, NULL, &report) == CCCD_STATUS_BAD_INPUT, "zero files");

    /* Bad options. */
    CccdVerifyOptions options = {0};
    options.qr = "not a card qr";
    CHECK(cccd_verify_dir(trust, path, &options, &report) == CCCD_STATUS_BAD_INPUT, "bad QR");
    CHECK(cccd_last_error() && strncmp(cccd_last_error(), "qr:", 3) == 0, "message names qr");
    options.qr = NULL;
    options.claimed_date_of_birth = "1999-02-30";
    CHECK(cccd_verify_dir(trust, path, &options, &report) == CCCD_STATUS_BAD_INPUT, "bad date");
    CccdCardKeys no_keys = {NULL, NULL, NULL};
    CccdDocument *doc = (CccdDocument *)&doc;
    CHECK(cccd_read_card(NULL, &no_keys, false, 0, &doc) == CCCD_STATUS_BAD_INPUT, "no key");
    CHECK(doc == NULL, "out reset to NULL");
    CccdCardKeys bad_can = {"12ab", NULL, NULL};
    CHECK(cccd_read_card(NULL, &bad_can, false, 0, &doc) == CCCD_STATUS_BAD_INPUT, "bad CAN");

    /* A wrong AA challenge: the dump's answer is over another challenge, so the chip is not
     * proven genuine to this verifier and chip.authentication fails. */
    uint8_t wrong[8];
    CHECK(hex_to_bytes(valid_challenge, wrong), "challenge hex");
    wrong[0] ^= 0xff;
    CccdVerifyOptions wrong_key = {0};
    wrong_key.at_unix_seconds = REFERENCE_DAY;
    wrong_key.aa_challenge = wrong;
    CHECK(cccd_verify_dir(trust, path, &wrong_key, &report) == CCCD_STATUS_OK, "verify");
    CHECK(cccd_report_verdict(report) == CCCD_VERDICT_NOT_VERIFIED, "wrong challenge: %s",
          verdict_name(cccd_report_verdict(report)));
    char *json = cccd_report_json(report);
    CHECK(json && strstr(json, "\"name\":\"chip.authentication\",\"status\":\"fail\""),
          "chip.authentication fails");
    cccd_string_free(json);
    cccd_report_free(report);

    /* Success clears the last error; another thread's errors stay on that thread. */
    CHECK(cccd_last_error() == NULL, "cleared after success");
    pthread_t t;
    void *ok = NULL;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, &ok);
    CHECK(ok == (void *)1, "error seen on the other thread");
    CHECK(cccd_last_error() == NULL, "this thread's last error untouched");
    cccd_trust_free(scratch);
}

static int run_cases(const char *testdata, const char *cases_path) {
    CccdTrust *trust = load_trust(testdata);
    FILE *cases = fopen(cases_path, "r");
    CHECK(cases != NULL, "open %s", cases_path);
    if (!cases) return 1;
    char dir[512], verdict[64], challenge[64], valid_dir[512] = "", valid_challenge[64] = "";
    int cards = 0;
    while (fscanf(cases, "%511s %63s %63s", dir, verdict, challenge) == 3) {
        verify_card(trust, testdata, dir, verdict, challenge);
        if (!valid_dir[0] && strcmp(verdict, "verified") == 0) {
            strcpy(valid_dir, dir);
            strcpy(valid_challenge, challenge);
        }
        cards++;
    }
    fclose(cases);
    CHECK(cards >= 20, "only %d cards", cards);
    CHECK(valid_dir[0] != 0, "no valid card");
    error_paths(trust, testdata, valid_dir, valid_challenge);
    cccd_trust_free(trust);
    printf("verify_cards: %d cards, %d checks, %d failures (cccd %s)\n", cards, checks, failures,
           cccd_version());
    return failures == 0 ? 0 : 1;
}

/* Read the card in READER: a wrong CAN is refused, the right one reads a genuine card. */
static int run_read(const char *reader, const char *can, const char *wrong_can, const char *out_dir,
                    const char *testdata) {
    CccdTrust *trust = load_trust(testdata);
    CccdDocument *doc = NULL;
    CccdCardKeys wrong = {wrong_can, NULL, NULL};
    CHECK(cccd_read_card(reader, &wrong, false, 10000, &doc) == CCCD_STATUS_ACCESS_DENIED,
          "wrong CAN");
    CHECK(doc == NULL, "no document");
    CccdCardKeys keys = {can, NULL, NULL};
    CHECK(cccd_read_card(reader, &keys, false, 10000, &doc) == CCCD_STATUS_OK, "read");
    CccdReport *report = NULL;
    CccdVerifyOptions options = {0};
    options.at_unix_seconds = REFERENCE_DAY;
    CHECK(cccd_verify_document(trust, doc, &options, &report) == CCCD_STATUS_OK, "verify doc");
    CHECK(cccd_report_verdict(report) == CCCD_VERDICT_VERIFIED, "read card: %s",
          verdict_name(cccd_report_verdict(report)));
    cccd_report_free(report);
    CHECK(cccd_document_save(doc, out_dir) == CCCD_STATUS_OK, "save");
    CHECK(cccd_document_save(doc, out_dir) == CCCD_STATUS_IO, "save over an existing folder");
    cccd_document_free(doc);
    cccd_trust_free(trust);
    printf("verify_cards --read: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc == 7 && strcmp(argv[1], "--read") == 0)
        return run_read(argv[2], argv[3], argv[4], argv[5], argv[6]);
    if (argc == 3) return run_cases(argv[1], argv[2]);
    fprintf(stderr, "usage: verify_cards TESTDATA CASES | --read READER CAN WRONG_CAN OUT TESTDATA\n");
    return 2;
}
