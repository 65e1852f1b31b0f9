/* units.c - durations and sizes as users write them in the configuration ("250ms", "5MiB"). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "iguazu/config.h"
#include "iguazu/error.h"

/* Read a non-negative decimal number with an optional fraction. */
static int read_number(const char **s, double *out)
{
    const char *p = *s;
    double v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p++ - '0');
        digits++;
    }
    if (*p == '.') {
        p++;
        double scale = 0.1;
        while (isdigit((unsigned char)*p)) {
            v += (*p++ - '0') * scale;
            scale /= 10;
            digits++;
        }
    }
    if (!digits)
        return IGZ_EINVAL;
    *s = p;
    *out = v;
    return 0;
}

int igz_parse_duration(const char *s, int64_t *ms)
{
    static const struct {
        const char *unit;
        double ms;
    } units[] = {{"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}, {"d", 86400e3}};
    if (!s || !*s)
        return IGZ_EINVAL;
    double total = 0;
    const char *p = s;
    while (*p) {
        double v;
        if (read_number(&p, &v))
            return IGZ_EINVAL;
        size_t n = 0;
        while (isalpha((unsigned char)p[n]))
            n++;
        if (n == 0)
            return IGZ_EINVAL; /* a unit is required: "10" could mean anything */
        size_t i;
        for (i = 0; i < sizeof units / sizeof units[0]; i++)
            if (strlen(units[i].unit) == n && strncmp(p, units[i].unit, n) == 0)
                break;
        if (i == sizeof units / sizeof units[0])
            return IGZ_EINVAL;
        total += v * units[i].ms;
        p += n;
    }
    if (total > 9.2e18)
        return IGZ_ERANGE;
    *ms = (int64_t)(total + 0.5);
    return 0;
}

int igz_parse_size(const char *s, int64_t *bytes)
{
    static const struct {
        const char *unit;
        double mult;
    } units[] = {{"", 1},
                 {"b", 1},
                 {"k", 1e3},
                 {"kb", 1e3},
                 {"kib", 1024.0},
                 {"m", 1e6},
                 {"mb", 1e6},
                 {"mib", 1048576.0},
                 {"g", 1e9},
                 {"gb", 1e9},
                 {"gib", 1073741824.0},
                 {"t", 1e12},
                 {"tb", 1e12},
                 {"tib", 1099511627776.0}};
    if (!s)
        return IGZ_EINVAL;
    const char *p = s;
    double v;
    if (read_number(&p, &v))
        return IGZ_EINVAL;
    while (*p == ' ')
        p++;
    char unit[4];
    size_t n = strlen(p);
    if (n >= sizeof unit)
        return IGZ_EINVAL;
    for (size_t i = 0; i <= n; i++)
        unit[i] = (char)tolower((unsigned char)p[i]);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(unit, units[i].unit) == 0) {
            double b = v * units[i].mult;
            if (b > 9.2e18)
                return IGZ_ERANGE;
            *bytes = (int64_t)(b + 0.5);
            return 0;
        }
    }
    return IGZ_EINVAL;
}
