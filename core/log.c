/*
 * log.c - log lines to stderr, as text or JSON lines.
 *
 * One write() per line so that lines of concurrent processes (or of a thread
 * pool job) never interleave. The level and format are process-wide: they
 * come from `[service]` and are set once at start.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iguazu/buf.h"
#include "iguazu/json.h"
#include "iguazu/log.h"
#include "log_internal.h"

static igz_log_level_t log_level = IGZ_LOG_INFO;
static int log_json;

static const char *level_names[] = {"error", "warn", "info", "debug", "trace"};

void igz__log_configure(igz_log_level_t level, int json)
{
    log_level = level;
    log_json = json;
}

int igz__log_level_parse(const char *s, igz_log_level_t *out)
{
    for (int i = 0; i <= IGZ_LOG_TRACE; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (igz_log_level_t)i;
            return 0;
        }
    }
    return -1;
}

bool igz_log_enabled(igz_log_level_t level)
{
    return level <= log_level;
}

void igz_logv(const struct igz_instance *ins, igz_log_level_t level, const char *fmt, va_list ap)
{
    if (level > log_level)
        return;
    char msg[2048];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (n < 0)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[80];
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    char who[256] = "";
    if (ins)
        igz__log_instance_name(ins, who, sizeof who);
    char line[3072];
    int len;
    if (!log_json) {
        len = snprintf(line, sizeof line, "%s %-5s %s%s%s%s\n", when, level_names[level],
                       who[0] ? "[" : "", who, who[0] ? "] " : "", msg);
    } else {
        /* JSON lines: the message and the instance are escaped properly */
        igz_buf_t b = IGZ_BUF_INIT;
        int rc = igz_buf_printf(&b, "{\"time\":\"%s\",\"level\":\"%s\"", when, level_names[level]);
        if (!rc && who[0]) {
            rc = igz_buf_append_str(&b, ",\"instance\":");
            if (!rc)
                rc = igz_json_quote(who, strlen(who), &b);
        }
        if (!rc)
            rc = igz_buf_append_str(&b, ",\"message\":");
        if (!rc)
            rc = igz_json_quote(msg, strlen(msg), &b);
        if (!rc)
            rc = igz_buf_append_str(&b, "}\n");
        if (rc) {
            igz_buf_free(&b);
            return;
        }
        len = (int)(b.len < sizeof line - 1 ? b.len : sizeof line - 1);
        memcpy(line, b.data, (size_t)len);
        if (line[len - 1] != '\n')
            line[len - 1] = '\n';
        igz_buf_free(&b);
    }
    if (len < 0)
        return;
    if ((size_t)len >= sizeof line) {
        len = sizeof line - 1;
        line[len - 1] = '\n';
    }
    /* stderr may be closed or full: nothing sensible is left to do then */
    ssize_t w = write(STDERR_FILENO, line, (size_t)len);
    (void)w;
}

void igz_log(const struct igz_instance *ins, igz_log_level_t level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    igz_logv(ins, level, fmt, ap);
    va_end(ap);
}
