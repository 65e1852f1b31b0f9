/*
 * in_csv_parser.c - the streaming CSV state machine of in_csv_parser.h.
 *
 * Why it looks like this: speed comes from scanning runs of ordinary bytes
 * with a 256-entry class table (no call per byte) and from handing rows over
 * in place. A block is parsed directly; positions are kept as file offsets,
 * so a row that started in an earlier block only needs its bytes gathered
 * in the carry buffer (copied once, bounded by max_row) when it completes.
 * The state that survives between blocks is small: the state below, the
 * spans of the fields seen so far and the carried bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "iguazu/buf.h"
#include "iguazu/error.h"
#include "in_csv_parser.h"

enum {
    S_FIELD, /* at the start of a field (and of a row) */
    S_UNQ,   /* inside an unquoted field */
    S_Q,     /* inside a quoted field */
    S_QQ,    /* inside a quoted field, just after a quote: closing or doubled */
    S_CR     /* a "\r" outside quotes ended the last block; is "\n" next? */
};

enum {
    F_QUOTED = 1, /* the field began with a quote */
    F_ESC = 2     /* doubled quotes or text after the closing quote: needs unescaping */
};

/* A field as file offsets: [start, end) includes its quotes. */
typedef struct in_csv_span {
    uint64_t start, end;
    unsigned flags;
} in_csv_span_t;

struct in_csv_parser {
    in_csv_opts_t o;
    in_csv_row_cb cb;
    void *ud;
    unsigned char cls_unq[256]; /* non-zero: the byte ends a run in an unquoted field */
    unsigned char cls_q[256];   /* non-zero: the byte ends a run in a quoted field */

    uint64_t off;       /* file offset of the next byte fed */
    uint64_t line;      /* line of the next byte fed */
    int state;          /* S_* */
    int cr_state;       /* S_CR: the state before the "\r" */
    uint64_t cr_off;    /* S_CR: file offset of the "\r" */
    unsigned char prev; /* the last byte fed, to see "\r\n" split across blocks */

    bool bom_check;       /* at offset 0, the first bytes may be a BOM */
    unsigned char bom[3]; /* BOM bytes matched so far */
    size_t bom_len;

    /* The row being parsed. */
    uint64_t row_off;  /* file offset of its first byte */
    uint64_t row_line; /* its first line */
    uint64_t fstart;   /* file offset of the current field's first byte */
    unsigned fflags;   /* F_* of the current field */
    bool row_esc;      /* some field needs unescaping */
    in_csv_span_t *spans;
    size_t nspans, capspans;
    bool too_many; /* more than max_fields fields */
    int err;       /* first IN_CSV_ROW_* error */
    uint64_t err_off;
    size_t err_field;
    bool carried;    /* the row's first bytes are in carry */
    bool skipping;   /* longer than max_row: carry holds its first max_row bytes */
    igz_buf_t carry; /* the bytes of a row that spans blocks */
    igz_buf_t scratch;
    in_csv_field_t *fields; /* capspans entries */
};

static const char *const in_csv_reasons[] = {
    NULL,
    "quote in unquoted field",
    "text after closing quote",
    "unterminated quoted field",
    "row longer than max_row",
    "row with more than max_fields fields",
};

static const unsigned char in_csv_bom[3] = {0xEF, 0xBB, 0xBF};

int in_csv_parser_new(in_csv_parser_t **out, const in_csv_opts_t *opts, in_csv_row_cb cb, void *ud)
{
    static const in_csv_opts_t defaults = IN_CSV_OPTS_INIT;
    in_csv_opts_t o = opts ? *opts : defaults;
    if (!o.max_row)
        o.max_row = defaults.max_row;
    if (!o.max_fields)
        o.max_fields = defaults.max_fields;
    if (!cb || o.delim == o.quote || o.delim == '\r' || o.delim == '\n' || o.quote == '\r' ||
        o.quote == '\n' || o.eol < IN_CSV_EOL_ANY || o.eol > IN_CSV_EOL_CR)
        return IGZ_EINVAL;

    in_csv_parser_t *p = calloc(1, sizeof *p);
    if (!p)
        return IGZ_ENOMEM;
    p->o = o;
    p->cb = cb;
    p->ud = ud;
    igz_buf_init(&p->carry);
    igz_buf_init(&p->scratch);

    unsigned char d = (unsigned char)o.delim, q = (unsigned char)o.quote;
    p->cls_unq[d] = p->cls_unq[q] = 1;
    p->cls_q[q] = 1;
    bool cr = o.eol == IN_CSV_EOL_ANY || o.eol == IN_CSV_EOL_CR || o.eol == IN_CSV_EOL_CRLF;
    bool lf = o.eol == IN_CSV_EOL_ANY || o.eol == IN_CSV_EOL_LF;
    if (cr)
        p->cls_unq['\r'] = 1;
    if (lf)
        p->cls_unq['\n'] = 1;
    /* In quoted fields line breaks are data, but they are counted. */
    if (o.eol == IN_CSV_EOL_ANY || o.eol == IN_CSV_EOL_CR)
        p->cls_q['\r'] = 1;
    if (o.eol != IN_CSV_EOL_CR)
        p->cls_q['\n'] = 1;

    in_csv_parser_reset(p, 0, 1);
    *out = p;
    return 0;
}

void in_csv_parser_free(in_csv_parser_t *p)
{
    if (!p)
        return;
    igz_buf_free(&p->carry);
    igz_buf_free(&p->scratch);
    free(p->spans);
    free(p->fields);
    free(p);
}

/* Start a new row at file offset at. */
static void in_csv_row_clear(in_csv_parser_t *p, uint64_t at)
{
    p->state = S_FIELD;
    p->fflags = 0;
    p->row_off = at;
    p->row_line = p->line;
    p->row_esc = false;
    p->nspans = 0;
    p->too_many = false;
    p->err = IN_CSV_ROW_OK;
    p->carried = false;
    p->skipping = false;
    igz_buf_reset(&p->carry);
}

void in_csv_parser_reset(in_csv_parser_t *p, uint64_t offset, uint64_t line)
{
    p->off = offset;
    p->line = line ? line : 1;
    p->prev = 0;
    p->bom_check = offset == 0 && !p->o.no_bom;
    p->bom_len = 0;
    in_csv_row_clear(p, offset);
}

uint64_t in_csv_parser_offset(const in_csv_parser_t *p)
{
    return p->off;
}

static void in_csv_set_err(in_csv_parser_t *p, int err, uint64_t at)
{
    if (p->err == IN_CSV_ROW_OK) {
        p->err = err;
        p->err_off = at;
        p->err_field = p->nspans;
    }
}

/* Room for one more span, or the row is marked too_many. Returns 0 or IGZ_ENOMEM. */
static int in_csv_grow_spans(in_csv_parser_t *p)
{
    if (p->nspans >= p->o.max_fields) {
        p->too_many = true;
        return 0;
    }
    size_t cap = p->capspans ? p->capspans * 2 : 32;
    if (cap > p->o.max_fields)
        cap = p->o.max_fields;
    in_csv_span_t *s = realloc(p->spans, cap * sizeof *s);
    if (!s)
        return IGZ_ENOMEM;
    p->spans = s;
    in_csv_field_t *f = realloc(p->fields, cap * sizeof *f);
    if (!f)
        return IGZ_ENOMEM; /* spans keeps its larger size: capspans stays valid */
    p->fields = f;
    p->capspans = cap;
    return 0;
}

static inline int in_csv_push(in_csv_parser_t *p, uint64_t start, uint64_t end, unsigned flags)
{
    if (p->nspans == p->capspans) {
        int rc = in_csv_grow_spans(p);
        if (rc)
            return rc;
        if (p->too_many)
            return 0;
    }
    in_csv_span_t *s = &p->spans[p->nspans++];
    s->start = start;
    s->end = end;
    s->flags = flags;
    if (flags & F_ESC)
        p->row_esc = true;
    return 0;
}

/* Keep bytes of the current row; past max_row only the first max_row are kept. */
static int in_csv_carry(in_csv_parser_t *p, const char *s, size_t n)
{
    if (p->skipping)
        return 0;
    size_t room = p->o.max_row - p->carry.len;
    if (n > room) {
        n = room;
        p->skipping = true;
    }
    return igz_buf_append(&p->carry, s, n);
}

/*
 * Copy a quoted field's bytes after its opening quote, collapsing doubled
 * quotes and dropping the closing one (text after it is kept as it is).
 * Returns the number of bytes written to out (never more than n).
 */
static size_t in_csv_unescape(char q, const char *s, size_t n, char *out)
{
    size_t o = 0, i = 0;
    while (i < n) {
        const char *hit = memchr(s + i, q, n - i);
        size_t run = hit ? (size_t)(hit - (s + i)) : n - i;
        memcpy(out + o, s + i, run);
        o += run;
        i += run;
        if (i == n)
            break;
        if (i + 1 < n && s[i + 1] == q) { /* doubled */
            out[o++] = q;
            i += 2;
            continue;
        }
        /* the closing quote: whatever follows is literal */
        i++;
        memcpy(out + o, s + i, n - i);
        o += n - i;
        break;
    }
    return o;
}

/*
 * The row ended: its content ends at file offset content_end, its line end
 * at buf[span_end]. The last field has been pushed. Builds the row, calls
 * back and starts the next row. Returns 0, IGZ_ENOMEM or the callback's code.
 */
static int in_csv_deliver(in_csv_parser_t *p, const char *buf, size_t span_end,
                          uint64_t content_end)
{
    const char *base;
    int rc;
    if (p->carried) {
        rc = in_csv_carry(p, buf, span_end);
        if (rc)
            return rc;
        base = p->carry.data;
    } else {
        base = buf + (size_t)(p->row_off - p->off);
    }
    uint64_t end = p->off + span_end;
    size_t span_len = (size_t)(end - p->row_off);
    size_t content_len = (size_t)(content_end - p->row_off);

    in_csv_row_t row;
    row.line = p->row_line;
    row.lines = p->line - p->row_line + 1;
    row.start = p->row_off;
    row.end = end;
    row.raw = base;
    row.raw_len = content_len;
    row.error = p->err;
    row.error_offset = p->err_off;
    row.error_field = p->err_field;
    row.fields = p->fields;
    row.nfields = p->nspans;

    if (p->skipping || span_len > p->o.max_row) {
        row.error = IN_CSV_ROW_TOO_LONG;
        row.error_offset = p->row_off + p->o.max_row;
        row.error_field = 0;
        row.nfields = 0;
        if (row.raw_len > p->o.max_row)
            row.raw_len = p->o.max_row;
    } else if (p->too_many) {
        row.error = IN_CSV_ROW_TOO_MANY_FIELDS;
        row.error_offset = p->spans[p->nspans - 1].end;
        row.error_field = p->nspans;
        row.nfields = 0;
    } else if (content_len == 0 && !p->o.keep_empty) {
        row.nfields = 0; /* an empty line: skipped */
        goto next;
    } else {
        char *esc = NULL;
        if (p->row_esc) {
            igz_buf_reset(&p->scratch);
            rc = igz_buf_reserve(&p->scratch, content_len);
            if (rc)
                return rc;
            esc = p->scratch.data;
        }
        for (size_t k = 0; k < p->nspans; k++) {
            const in_csv_span_t *s = &p->spans[k];
            size_t rs = (size_t)(s->start - p->row_off), re = (size_t)(s->end - p->row_off);
            in_csv_field_t *f = &p->fields[k];
            if (!s->flags) {
                f->data = base + rs;
                f->len = re - rs;
            } else if (!(s->flags & F_ESC)) {
                f->data = base + rs + 1;
                f->len = re - rs - 2;
            } else {
                f->data = esc;
                f->len = in_csv_unescape(p->o.quote, base + rs + 1, re - rs - 1, esc);
                esc += f->len;
            }
        }
    }
    row.reason = in_csv_reasons[row.error];
    rc = p->cb(p->ud, &row);
    if (rc)
        return rc;
next:
    p->line++;
    in_csv_row_clear(p, end);
    return 0;
}

/* The row's content ends at file offset content_end, its line end before buf[span_end]. */
static inline int in_csv_end_row(in_csv_parser_t *p, const char *buf, uint64_t content_end,
                                 size_t span_end)
{
    int rc = in_csv_push(p, p->fstart, content_end, p->fflags);
    if (rc)
        return rc;
    return in_csv_deliver(p, buf, span_end, content_end);
}

/* Parse one block at file offset p->off. */
static int in_csv_scan(in_csv_parser_t *p, const char *buf, size_t len)
{
    const unsigned char *b = (const unsigned char *)buf;
    const unsigned char *cu = p->cls_unq, *cq = p->cls_q;
    const unsigned char delim = (unsigned char)p->o.delim, quote = (unsigned char)p->o.quote;
    const in_csv_eol_t eol = p->o.eol;
    const uint64_t off = p->off;
    int st = p->state;
    size_t i = 0;
    unsigned char c = 0;
    int rc;

    for (;;) {
        switch (st) {
        case S_FIELD:
            if (i == len)
                goto out;
            p->fstart = off + i;
            if (b[i] == quote) {
                p->fflags = F_QUOTED;
                st = S_Q;
                i++;
                continue;
            }
            p->fflags = 0;
            st = S_UNQ;
            /* fall through */
        case S_UNQ:
            while (len - i >= 4) {
                if (cu[b[i]])
                    goto unq_hit;
                if (cu[b[i + 1]]) {
                    i += 1;
                    goto unq_hit;
                }
                if (cu[b[i + 2]]) {
                    i += 2;
                    goto unq_hit;
                }
                if (cu[b[i + 3]]) {
                    i += 3;
                    goto unq_hit;
                }
                i += 4;
            }
            while (i < len && !cu[b[i]])
                i++;
            if (i == len)
                goto out;
        unq_hit:
            c = b[i];
            if (c == delim) {
                rc = in_csv_push(p, p->fstart, off + i, p->fflags);
                if (rc)
                    return rc;
                i++;
                st = S_FIELD;
                continue;
            }
            if (c == quote) {
                if (!p->o.lazy_quotes)
                    in_csv_set_err(p, IN_CSV_ROW_QUOTE_IN_FIELD, off + i);
                i++;
                continue;
            }
            goto line_end;
        case S_Q:
            while (i < len && !cq[b[i]])
                i++;
            if (i == len)
                goto out;
            c = b[i];
            if (c == quote) {
                st = S_QQ;
            } else if (c == '\r') {
                p->line++;
            } else { /* '\n' */
                bool after_cr = (i ? b[i - 1] : p->prev) == '\r';
                if (eol == IN_CSV_EOL_LF || (eol == IN_CSV_EOL_ANY) != after_cr)
                    p->line++;
            }
            i++;
            continue;
        case S_QQ:
            if (i == len)
                goto out;
            c = b[i];
            if (c == quote) {
                p->fflags |= F_ESC;
                st = S_Q;
                i++;
                continue;
            }
            if (c == delim) {
                rc = in_csv_push(p, p->fstart, off + i, p->fflags);
                if (rc)
                    return rc;
                i++;
                st = S_FIELD;
                continue;
            }
            if (cu[c])
                goto line_end;
            in_csv_set_err(p, IN_CSV_ROW_TEXT_AFTER_QUOTE, off + i);
            p->fflags |= F_ESC;
            st = S_UNQ;
            continue;
        case S_CR:
            if (i == len)
                goto out;
            if (b[i] == '\n') {
                rc = in_csv_end_row(p, buf, p->cr_off, i + 1);
                if (rc)
                    return rc;
                i++;
                st = S_FIELD;
                continue;
            }
            if (eol == IN_CSV_EOL_ANY) {
                rc = in_csv_end_row(p, buf, p->cr_off, i);
                if (rc)
                    return rc;
                st = S_FIELD;
                continue;
            }
            /* CRLF: the "\r" was data */
            st = p->cr_state;
            goto cr_is_data;
        default:
            return IGZ_EINVAL; /* cannot happen */
        }

    line_end:
        /* b[i] ends a line in an unquoted context (st is S_UNQ or S_QQ) */
        if (c == '\r' && (eol == IN_CSV_EOL_ANY || eol == IN_CSV_EOL_CRLF)) {
            if (i + 1 == len) {
                p->cr_state = st;
                p->cr_off = off + i;
                st = S_CR;
                i++;
                goto out;
            }
            if (b[i + 1] == '\n') {
                rc = in_csv_end_row(p, buf, off + i, i + 2);
                i += 2;
            } else if (eol == IN_CSV_EOL_ANY) {
                rc = in_csv_end_row(p, buf, off + i, i + 1);
                i += 1;
            } else {
                p->cr_off = off + i;
                i++;
                goto cr_is_data;
            }
        } else {
            rc = in_csv_end_row(p, buf, off + i, i + 1);
            i++;
        }
        if (rc)
            return rc;
        st = S_FIELD;
        continue;

    cr_is_data:
        /* CRLF mode: a "\r" at p->cr_off not followed by "\n" is field text */
        if (st == S_QQ) {
            in_csv_set_err(p, IN_CSV_ROW_TEXT_AFTER_QUOTE, p->cr_off);
            p->fflags |= F_ESC;
        }
        st = S_UNQ;
        continue;
    }

out:
    p->state = st;
    if (len) {
        p->prev = b[len - 1];
        uint64_t stop = off + len;
        if (p->row_off < stop) {
            if (p->carried) {
                rc = in_csv_carry(p, buf, len);
            } else {
                size_t from = (size_t)(p->row_off - off);
                p->carried = true;
                rc = in_csv_carry(p, buf + from, len - from);
            }
            if (rc)
                return rc;
        }
        p->off = stop;
    }
    return 0;
}

int in_csv_parser_feed(in_csv_parser_t *p, const char *data, size_t len)
{
    if (p->bom_check) {
        while (len && p->bom_len < sizeof in_csv_bom) {
            if ((unsigned char)*data != in_csv_bom[p->bom_len])
                break;
            p->bom[p->bom_len++] = (unsigned char)*data++;
            len--;
        }
        if (p->bom_len == sizeof in_csv_bom) {
            p->bom_check = false;
            p->off = sizeof in_csv_bom;
            in_csv_row_clear(p, p->off);
        } else if (len) {
            /* not a BOM after all: its first bytes are data */
            p->bom_check = false;
            int rc = in_csv_scan(p, (const char *)p->bom, p->bom_len);
            if (rc)
                return rc;
        }
    }
    return in_csv_scan(p, data, len);
}

int in_csv_parser_finish(in_csv_parser_t *p)
{
    int rc;
    if (p->bom_check) {
        p->bom_check = false;
        rc = in_csv_scan(p, (const char *)p->bom, p->bom_len);
        if (rc)
            return rc;
    }
    /* Every byte of the open row is in carry now: the row ends at p->off. */
    switch (p->state) {
    case S_FIELD:
        if (p->row_off == p->off)
            return 0;
        p->fstart = p->off; /* an empty last field after a delimiter */
        p->fflags = 0;
        break;
    case S_Q:
        in_csv_set_err(p, IN_CSV_ROW_UNTERMINATED, p->fstart);
        p->fflags |= F_ESC;
        break;
    case S_CR:
        if (p->o.eol == IN_CSV_EOL_ANY)
            return in_csv_end_row(p, NULL, p->cr_off, 0);
        if (p->cr_state == S_QQ) { /* CRLF: the "\r" was text after a closing quote */
            in_csv_set_err(p, IN_CSV_ROW_TEXT_AFTER_QUOTE, p->cr_off);
            p->fflags |= F_ESC;
        }
        break;
    default: /* S_UNQ, S_QQ */
        break;
    }
    return in_csv_end_row(p, NULL, p->off, 0);
}
