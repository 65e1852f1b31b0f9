/*
 * igz_test.h - the smallest test harness that prints both sides.
 *
 * A test file defines TEST(name) functions and lists them in main with
 * RUN(name). Each check prints file:line and the values on failure and
 * marks the test failed; the program ends with "N passed, N failed" and
 * exits non-zero when anything failed.
 */
#ifndef IGZ_TEST_H
#define IGZ_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int igz_test_failed_checks;
static int igz_test_passed, igz_test_failed;

#define TEST(name) static void name(void)

#define RUN(name)                                                                                  \
    do {                                                                                           \
        int before_ = igz_test_failed_checks;                                                      \
        name();                                                                                    \
        if (igz_test_failed_checks == before_) {                                                   \
            igz_test_passed++;                                                                     \
            printf("ok   %s\n", #name);                                                        \
        } else {                                                                                   \
            igz_test_failed++;                                                                     \
            printf("FAIL %s\n", #name);                                                        \
        }                                                                                          \
        fflush(stdout);                                                                            \
    } while (0)

#define TEST_SUMMARY()                                                                             \
    (printf("%d passed, %d failed\n", igz_test_passed, igz_test_failed),                           \
     igz_test_failed ? 1 : 0)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            igz_test_failed_checks++;                                                              \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            fprintf(stderr, "%s:%d: %s == %s: %lld != %lld\n", __FILE__, __LINE__, #a, #b, a_,     \
                    b_);                                                                           \
            igz_test_failed_checks++;                                                              \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                   \
            fprintf(stderr, "%s:%d: %s == %s: \"%s\" != \"%s\"\n", __FILE__, __LINE__, #a, #b,     \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                       \
            igz_test_failed_checks++;                                                              \
        }                                                                                          \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                                \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (!h_ || !strstr(h_, n_)) {                                                              \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,         \
                    h_ ? h_ : "(null)", n_);                                                       \
            igz_test_failed_checks++;                                                              \
        }                                                                                          \
    } while (0)

#endif
