/*
 * racer: the hostile agent's shell in the confinement race suite (ConfinementRaceTests).
 *
 * In a tight loop it swaps a workspace path (a folder, or a file such as .thymos/policy.json) with symbolic
 * links to other places: a folder outside the workspace, the workspace's .thymos folder, the key folder.
 *
 *   racer exchange <path> <target>...   renameat2(RENAME_EXCHANGE) of <path> with "<path>.swapN" (a link to
 *                                       target N), twice per target, so every other step <path> is the link
 *   racer churn <path> <target>...      rename(<path>, <path>.real); symlink(target, <path>); unlink; rename back
 *
 * Control on stdin, one character each: 'p' pauses with <path> restored to the real folder or file (answers
 * "paused" on stdout), 'r' resumes (answers "running"), 'q' quits (answers "swaps N" and exits 0).
 * Linux only (renameat2 through syscall(2), so any glibc or musl works).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int exchange(const char *a, const char *b)
{
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

static int is_link(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static char real_name[4096];
static char swap_names[8][4096];
static int targets;
static const char *path;
static int churn;
static unsigned long junk;

/* Puts the real folder (or file) back at <path>, whatever step the loop stopped at or the runtime did meanwhile. */
static void restore(void)
{
    if (!churn)
    {
        for (int k = 0; k < targets; k++)
        {
            if (is_link(path) && !is_link(swap_names[k]))
            {
                exchange(path, swap_names[k]);
            }
        }
        return;
    }

    if (is_link(path))
    {
        unlink(path);
    }

    if (access(real_name, F_OK) == 0)
    {
        struct stat st;
        if (lstat(path, &st) == 0)
        {
            /* The runtime made a new folder while <path> was missing: keep it aside, never delete what it wrote. */
            char aside[4200];
            snprintf(aside, sizeof aside, "%s.aside%lu", path, junk++);
            rename(path, aside);
        }
        rename(real_name, path);
    }
}

static void control(unsigned long swaps)
{
    char c;
    ssize_t n = read(0, &c, 1);
    if (n != 1)
    {
        if (n == 0)
        {
            restore();
            exit(0);
        }
        return;
    }

    if (c == 'p')
    {
        restore();
        printf("paused\n");
        fflush(stdout);
        int flags = fcntl(0, F_GETFL);
        fcntl(0, F_SETFL, flags & ~O_NONBLOCK);
        while (read(0, &c, 1) == 1 && c != 'r' && c != 'q')
        {
        }
        fcntl(0, F_SETFL, flags);
        if (c == 'r')
        {
            printf("running\n");
            fflush(stdout);
            return;
        }
    }

    if (c == 'q')
    {
        restore();
        printf("swaps %lu\n", swaps);
        fflush(stdout);
        exit(0);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc - 3 > 8 || (strcmp(argv[1], "exchange") != 0 && strcmp(argv[1], "churn") != 0))
    {
        fprintf(stderr, "usage: racer exchange|churn <path> <link target>... (up to 8 targets)\n");
        return 2;
    }

    churn = strcmp(argv[1], "churn") == 0;
    path = argv[2];
    targets = argc - 3;
    snprintf(real_name, sizeof real_name, "%s.real", path);
    for (int k = 0; k < targets; k++)
    {
        snprintf(swap_names[k], sizeof swap_names[k], "%s.swap%d", path, k);
        unlink(swap_names[k]);
        if (!churn && symlink(argv[3 + k], swap_names[k]) != 0)
        {
            perror("symlink");
            return 1;
        }
    }

    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    printf("running\n");
    fflush(stdout);
    unsigned long swaps = 0;
    for (unsigned long i = 0;; i++)
    {
        if ((i & 63) == 0)
        {
            control(swaps);
        }

        int k = (int)((i / 2) % (unsigned long)targets);
        if (!churn)
        {
            if (exchange(path, swap_names[k]) == 0)
            {
                swaps++;
            }
            continue;
        }

        if (rename(path, real_name) != 0)
        {
            restore();
            continue;
        }

        if (symlink(argv[3 + k], path) == 0)
        {
            swaps++;
            for (volatile int spin = 0; spin < 200; spin++)
            {
            }
            unlink(path);
        }

        if (rename(real_name, path) != 0)
        {
            restore();
        }
    }
}
