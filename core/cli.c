/*
 * cli.c - the iguazu command line: run, check, plugins, --version, --help.
 *
 * Exit statuses: 0 success, 1 a configuration or runtime error, 2 a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "internal.h"

static const char usage[] =
    "usage: iguazu COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  run [-c FILE]        run the pipeline of FILE (default: conf/iguazu.toml, then\n"
    "                       " IGZ_CONF_DIR "/iguazu.toml)\n"
    "  check -c FILE        check FILE and print its pipeline; exit 0 when valid, 1 when not\n"
    "  plugins              list the plugins found, with kind and description\n"
    "  plugins NAME         print the options of plugin NAME (\"csv\" or \"in_csv\")\n"
    "  dlq list [-c FILE]   list the dead-letter folder: chunks outputs gave up on, and why\n"
    "  dlq replay [-c FILE] [--output NAME] [ID...]\n"
    "                       put dead-letter chunks back into the chain (all, or those IDs)\n"
    "  --version            print the version and the plugin ABI\n"
    "  --help               print this help\n"
    "\n"
    "environment:\n"
    "  IGUAZU_PLUGIN_PATH   folders searched for plugins first, separated by ':'\n";

static const char *default_config(void)
{
    static const char *candidates[] = {"conf/iguazu.toml", IGZ_CONF_DIR "/iguazu.toml"};
    for (size_t i = 0; i < 2; i++)
        if (access(candidates[i], R_OK) == 0)
            return candidates[i];
    return NULL;
}

/* Parse "-c FILE" / "--config FILE" / "--config=FILE" out of args. */
static int config_arg(int argc, char **argv, const char **path)
{
    for (int i = 0; i < argc; i++) {
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
            *path = argv[++i];
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            *path = argv[i] + 9;
        } else {
            fprintf(stderr, "iguazu: unexpected argument \"%s\"\n%s", argv[i], usage);
            return 2;
        }
    }
    return 0;
}

static int cmd_run(int argc, char **argv, bool check_only)
{
    const char *path = NULL;
    int rc = config_arg(argc, argv, &path);
    if (rc)
        return rc;
    if (!path && check_only) {
        fprintf(stderr, "iguazu: check needs -c FILE\n");
        return 2;
    }
    if (!path && !(path = default_config())) {
        fprintf(stderr,
                "iguazu: no configuration: give -c FILE (looked for conf/iguazu.toml and "
                "%s/iguazu.toml)\n",
                IGZ_CONF_DIR);
        return 1;
    }
    igz_config_t *cfg;
    char err[4096];
    if (igz__config_load(path, &cfg, err, sizeof err)) {
        igz_error(NULL, "%s", err);
        return 1;
    }
    igz_engine_t *e;
    if (igz__engine_new(cfg, &e)) {
        igz_error(NULL, "cannot create the event loop");
        igz__config_free(cfg);
        return 1;
    }
    int status;
    if (check_only) {
        status = igz__engine_prepare(e) ? 1 : 0;
        if (status == 0) {
            printf("%s: ok\n", path);
            queue_t *lists[3] = {&e->inputs, &e->filters, &e->outputs};
            for (int k = 0; k < 3; k++) {
                queue_t *q;
                QUEUE_FOREACH(q, lists[k])
                {
                    igz_instance_t *ins = QUEUE_DATA(q, igz_instance_t, node);
                    if (ins->kind == IGZ_KIND_INPUT)
                        printf("  input   %-20s tag   \"%s\"  (%s)\n", ins->alias,
                               igz_instance_tag(ins), ins->plugin->path);
                    else
                        printf("  %-7s %-20s match \"%s\"  (%s)\n",
                               ins->kind == IGZ_KIND_FILTER ? "filter" : "output", ins->alias,
                               ins->common.match, ins->plugin->path);
                }
            }
        }
    } else {
        status = igz__engine_run(e);
    }
    bool abandon = e->abandon;
    igz__engine_free(e);
    if (!abandon)
        igz__config_free(cfg);
    return status;
}

static const char *type_name(igz_opt_type_t t)
{
    static const char *names[] = {"?",    "string",      "integer", "float", "bool", "duration",
                                  "size", "string list", "enum",    "table", "any"};
    return t >= IGZ_OPT_STR && t <= IGZ_OPT_ANY ? names[t] : "?";
}

static void print_options(const igz_option_t *opts)
{
    for (const igz_option_t *o = opts; o && o->key; o++) {
        char def[64];
        if (o->flags & IGZ_OPT_REQUIRED)
            snprintf(def, sizeof def, "(required)");
        else if (o->def)
            snprintf(def, sizeof def, "\"%s\"", o->def);
        else
            snprintf(def, sizeof def, "-");
        printf("  %-18s %-11s %-14s %s", o->key, type_name(o->type), def, o->desc ? o->desc : "");
        if (o->type == IGZ_OPT_ENUM && o->choices)
            printf(" (%s)", o->choices);
        if (o->flags & IGZ_OPT_SECRET)
            printf(" [secret]");
        printf("\n");
    }
}

static int cmd_plugins(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "iguazu: plugins takes at most one NAME\n");
        return 2;
    }
    igz_plugin_path_t pp;
    if (igz__plugin_path_init(&pp, NULL)) {
        fprintf(stderr, "iguazu: out of memory\n");
        return 1;
    }
    char **paths;
    size_t n;
    if (igz__plugin_list(&pp, &paths, &n)) {
        fprintf(stderr, "iguazu: out of memory\n");
        igz__plugin_path_free(&pp);
        return 1;
    }
    int status = argc == 1 ? 1 : 0;
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        igz_plugin_handle_t *h;
        char err[1024];
        int rc = igz__plugin_open(paths[i], &h, err, sizeof err);
        if (argc == 0) {
            if (rc)
                printf("%-7s %-12s %s\n", "?", "?", err);
            else
                printf("%-7s %-12s %s\n",
                       h->desc.kind == IGZ_KIND_INPUT    ? "input"
                       : h->desc.kind == IGZ_KIND_FILTER ? "filter"
                                                         : "output",
                       h->desc.name, h->desc.description);
        } else if (!rc &&
                   (strcmp(argv[0], h->desc.name) == 0 || strcmp(argv[0], h->file_name) == 0)) {
            found = true;
            status = 0;
            printf("%s (%s plugin \"%s\", %s)\n  %s\n\noptions:\n", h->file_name,
                   h->desc.kind == IGZ_KIND_INPUT    ? "input"
                   : h->desc.kind == IGZ_KIND_FILTER ? "filter"
                                                     : "output",
                   h->desc.name, h->path, h->desc.description);
            print_options(h->desc.options);
            printf("\ncommon options of every %s:\n", igz__kind_section(h->desc.kind));
            print_options(igz__common_options(h->desc.kind));
            printf("\nexample:\n  [[%s.%s]]\n", igz__kind_section(h->desc.kind), h->desc.name);
            for (const igz_option_t *o = h->desc.options; o && o->key; o++)
                if (o->flags & IGZ_OPT_REQUIRED)
                    printf("  %s = ...\n", o->key);
        }
        if (!rc)
            igz__plugin_close(h);
        free(paths[i]);
    }
    free(paths);
    if (argc == 0 && n == 0) {
        printf("no plugins found in:");
        for (size_t i = 0; i < pp.n; i++)
            printf(" %s", pp.dirs[i]);
        printf("\n");
    }
    if (argc == 1 && !found)
        fprintf(stderr, "iguazu: no plugin named \"%s\" (see `iguazu plugins`)\n", argv[0]);
    igz__plugin_path_free(&pp);
    return status;
}

int igz__main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0 ||
        strcmp(argv[1], "version") == 0) {
        printf("iguazu %s (plugin ABI %d.%d)\n", IGZ_VERSION_STRING, IGZ_ABI_MAJOR, IGZ_ABI_MINOR);
        return 0;
    }
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 2, argv + 2, false);
    if (strcmp(argv[1], "check") == 0)
        return cmd_run(argc - 2, argv + 2, true);
    if (strcmp(argv[1], "plugins") == 0)
        return cmd_plugins(argc - 2, argv + 2);
    if (strcmp(argv[1], "dlq") == 0)
        return igz__cli_dlq(argc - 2, argv + 2, usage);
    fprintf(stderr, "iguazu: unknown command \"%s\"\n%s", argv[1], usage);
    return 2;
}
