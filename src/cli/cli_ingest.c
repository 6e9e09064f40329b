/* SPDX-License-Identifier: MIT */
/* `dyad ingest`: read, code and store news in parallel. One reader thread
 * copies documents into a bounded queue, N worker threads (each with its
 * own dy_doc) analyse and code them, and the calling thread is the single
 * writer: it stores results in input order, in batched transactions, so
 * the database is the same whatever N and whatever point a run was killed
 * and resumed at. SIGINT/SIGTERM stop after the current transaction. */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ==== limits (documented in `dyad ingest --help` and the README) ========= */

#ifndef DY_INGEST_MAX_JOBS
#define DY_INGEST_MAX_JOBS 256 /* most worker threads -j accepts */
#endif
#ifndef DY_INGEST_QUEUE_BYTES
#define DY_INGEST_QUEUE_BYTES ((size_t)64 << 20) /* bytes read ahead */
#endif
#ifndef DY_INGEST_BATCH_MS
#define DY_INGEST_BATCH_MS 500 /* a batch never stays open longer */
#endif
#ifndef DY_INGEST_WAL_PAGES
#define DY_INGEST_WAL_PAGES 16384 /* the writer checkpoints past this */
#endif
#define TICK_MS 100 /* writer wake-ups: signals, progress */
#define CKPT_MS 200 /* checkpointer wake-ups without a commit */

/* ==== jobs ============================================================== */

enum { JOB_DOC, JOB_READ_ERROR };

/* What a worker made of a document. */
enum { RES_CODED, RES_STORED_BEFORE, RES_FAILED };

/* One document (or one unreadable input) on its way from the reader to the
 * writer. Allocated with its bytes in one block by the reader, freed by the
 * writer. */
typedef struct job {
  struct job *next; /* queue or done-list link */
  size_t seq;       /* position in input order, from 0 */
  int kind;         /* JOB_* */
  int res;          /* RES_*, set by the worker */
  int rc;           /* DY_E* of a failure (read or analyse/code) */
  dy_doc *doc;      /* coded document for the writer (pool-owned), or NULL */
  char *msg;        /* read error message, points into data */
  size_t nbytes;    /* input bytes, for rates and the ETA */
  dy_input in;      /* the document; strings point into data */
  char data[];      /* name, bytes, url, date, title, msg */
} job;

/* ==== shared state ====================================================== */

typedef struct ingest {
  /* set before the threads start, read-only afterwards */
  const dy_engine *eng; /* shared dictionaries */
  const char *db;       /* database path */
  const char *date;     /* --date or NULL */
  char **paths;         /* inputs (files, directories, "-") */
  int npaths;           /* entries in paths */
  int jobs;             /* worker threads */
  size_t max_doc_bytes; /* --max-doc-bytes */
  size_t batch;         /* articles per transaction at most */
  int want_total;       /* pre-walk the inputs to size them (ETA) */
  int precheck;         /* the database had articles: workers look inputs
                           up before analysing them (a resumed run) */

  pthread_mutex_t mu;
  pthread_cond_t cv_job;   /* queue not empty, reader done, or stop */
  pthread_cond_t cv_space; /* queue has room, or stop */
  pthread_cond_t cv_pool;  /* a document context is free, or stop */
  pthread_cond_t cv_done;  /* a job is done, reader done, or stop */
  pthread_cond_t cv_ckpt;  /* a commit happened, or stop */

  /* all below under mu */
  job *qhead, *qtail;             /* read documents waiting for a worker */
  size_t qlen;                    /* jobs in the queue */
  size_t qbytes;                  /* bytes in the queue */
  size_t qmax;                    /* most jobs in the queue */
  job *done;                      /* finished jobs, any order */
  dy_doc **pool;                  /* free document contexts */
  size_t npool;                   /* entries in pool */
  size_t nseq;                    /* jobs created by the reader so far */
  int reader_done;                /* the reader made its last job */
  int stop;                       /* everyone: stop as soon as possible */
  unsigned long long total_bytes; /* pre-walked input size, 0 = unknown */
  int ckpt_due;                   /* commits since the last checkpoint */
  int ckpt_ready; /* the checkpointer has its connection: the writer may
                     leave checkpoints to it */
} ingest;

static volatile sig_atomic_t got_signal; /* SIGINT or SIGTERM number */

static void on_signal(int sig)
{
  static const char again[] = "\ndyad: ingest: second signal, exiting now "
                              "(the database stays consistent)\n";
  if (got_signal) {
    /* a second ^C: the user wants out now; SQLite's journal keeps the
     * database consistent, the open batch is simply not stored */
    ssize_t w = write(2, again, sizeof again - 1);
    (void)w;
    _exit(128 + sig);
  }
  got_signal = sig;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Absolute CLOCK_REALTIME deadline ms from now, for pthread_cond_timedwait. */
static struct timespec deadline_ms(long ms)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  return ts;
}

/* Puts a finished job on the done list and wakes the writer. Under mu. */
static void post_done(ingest *g, job *j)
{
  j->next = g->done;
  g->done = j;
  pthread_cond_signal(&g->cv_done);
}

/* ==== reader thread ===================================================== */

/* Copies s (NULL allowed) into the job's data at *off; returns the copy. */
static const char *put_str(job *j, size_t *off, const char *s, size_t n)
{
  char *p = j->data + *off;
  if (s == NULL)
    return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  *off += n + 1;
  return p;
}

static size_t slen(const char *s)
{
  return s ? strlen(s) + 1 : 0;
}

static int reader_doc(const dy_input *in, void *ud)
{
  ingest *g = ud;
  size_t off = 0, need;
  job *j;
  need = slen(in->name) + in->n + 1 + slen(in->url) + slen(in->date) +
         slen(in->title);
  j = dy_malloc(sizeof *j + need);
  if (j == NULL) {
    /* cannot hold the document: stop everything, like a failed malloc in
     * any stage */
    cli_error(in->name, "out of memory reading the input");
    pthread_mutex_lock(&g->mu);
    g->stop = 1;
    pthread_cond_broadcast(&g->cv_done);
    pthread_mutex_unlock(&g->mu);
    return 1;
  }
  memset(j, 0, sizeof *j);
  j->kind = JOB_DOC;
  j->in.name = put_str(j, &off, in->name ? in->name : "-",
                       in->name ? strlen(in->name) : 1);
  j->in.bytes = put_str(j, &off, in->bytes, in->n);
  j->in.n = in->n;
  j->in.url = put_str(j, &off, in->url, in->url ? strlen(in->url) : 0);
  j->in.date = put_str(j, &off, in->date, in->date ? strlen(in->date) : 0);
  j->in.title = put_str(j, &off, in->title, in->title ? strlen(in->title) : 0);
  j->nbytes = in->n;
  pthread_mutex_lock(&g->mu);
  /* bounded by count and bytes; an empty queue always takes one */
  while (!g->stop && g->qlen > 0 &&
         (g->qlen >= g->qmax || g->qbytes + in->n > DY_INGEST_QUEUE_BYTES))
    pthread_cond_wait(&g->cv_space, &g->mu);
  if (g->stop) {
    pthread_mutex_unlock(&g->mu);
    dy_free(j);
    return 1;
  }
  j->seq = g->nseq++;
  if (g->qtail)
    g->qtail->next = j;
  else
    g->qhead = j;
  g->qtail = j;
  g->qlen++;
  g->qbytes += in->n;
  pthread_cond_signal(&g->cv_job);
  pthread_mutex_unlock(&g->mu);
  return 0;
}

/* An unreadable input goes straight to the writer, in its place in the
 * input order, so messages come out in the same order whatever N. */
static void reader_error(const char *name, int rc, const char *msg, void *ud)
{
  ingest *g = ud;
  size_t off = 0;
  job *j;
  if (name == NULL)
    name = "-";
  if (msg == NULL)
    msg = dy_strerror(rc);
  j = dy_malloc(sizeof *j + strlen(name) + strlen(msg) + 2);
  if (j == NULL) {
    cli_error(name, "%s", msg); /* out of order, but not lost */
    return;
  }
  memset(j, 0, sizeof *j);
  j->kind = JOB_READ_ERROR;
  j->rc = rc;
  j->in.name = put_str(j, &off, name, strlen(name));
  j->msg = (char *)put_str(j, &off, msg, strlen(msg));
  pthread_mutex_lock(&g->mu);
  j->seq = g->nseq++;
  post_done(g, j);
  pthread_mutex_unlock(&g->mu);
}

/* The pre-walk that sizes the inputs for the ETA. */
typedef struct sizer {
  ingest *g;
  unsigned long long total; /* bytes of regular files seen */
} sizer;

static int size_file(const char *path, int rc, const char *msg, void *ud)
{
  sizer *z = ud;
  struct stat st;
  int stop;
  (void)msg;
  if (rc == DY_OK && stat(path, &st) == 0 && S_ISREG(st.st_mode))
    z->total += (unsigned long long)st.st_size;
  pthread_mutex_lock(&z->g->mu);
  stop = z->g->stop;
  pthread_mutex_unlock(&z->g->mu);
  return stop;
}

static void *reader_main(void *arg)
{
  ingest *g = arg;
  dy_read_opts ro;
  int i, stdin_seen = 0;
  if (g->want_total) {
    sizer z;
    z.g = g;
    z.total = 0;
    for (i = 0; i < g->npaths; i++) {
      if (strcmp(g->paths[i], "-") == 0)
        stdin_seen = 1;
      else
        dy_walk(g->paths[i], size_file, &z);
    }
    pthread_mutex_lock(&g->mu);
    g->total_bytes = stdin_seen ? 0 : z.total;
    pthread_mutex_unlock(&g->mu);
  }
  memset(&ro, 0, sizeof ro);
  ro.max_bytes = g->max_doc_bytes;
  for (i = 0; i < g->npaths; i++) {
    int stop;
    pthread_mutex_lock(&g->mu);
    stop = g->stop;
    pthread_mutex_unlock(&g->mu);
    if (stop)
      break;
    dy_read_inputs(g->paths[i], &ro, reader_doc, reader_error, g);
  }
  pthread_mutex_lock(&g->mu);
  g->reader_done = 1;
  pthread_cond_broadcast(&g->cv_job);
  pthread_cond_broadcast(&g->cv_done);
  pthread_mutex_unlock(&g->mu);
  return NULL;
}

/* ==== worker threads ==================================================== */

/* Takes a free document context, then the next job, in that order: a job
 * taken always has a context, so the job the writer waits for next can
 * always finish (no deadlock on the pool). Returns NULL when there is no
 * more work. Under mu. */
static job *take_work(ingest *g, dy_doc **doc)
{
  job *j;
  while (!g->stop && g->npool == 0)
    pthread_cond_wait(&g->cv_pool, &g->mu);
  if (g->stop)
    return NULL;
  *doc = g->pool[--g->npool];
  while (!g->stop && g->qhead == NULL && !g->reader_done)
    pthread_cond_wait(&g->cv_job, &g->mu);
  if (g->stop || g->qhead == NULL) {
    g->pool[g->npool++] = *doc;
    *doc = NULL;
    pthread_cond_signal(&g->cv_pool);
    return NULL;
  }
  j = g->qhead;
  g->qhead = j->next;
  if (g->qhead == NULL)
    g->qtail = NULL;
  g->qlen--;
  g->qbytes -= j->nbytes;
  j->next = NULL;
  pthread_cond_signal(&g->cv_space);
  return j;
}

static void *worker_main(void *arg)
{
  ingest *g = arg;
  dy_store *ro = NULL; /* this worker's connection for look-ups */
  dy_err err;
  if (g->precheck && dy_store_open(g->db, &ro, &err) < 0) {
    cli_error(g->db, "%s", err.msg);
    pthread_mutex_lock(&g->mu);
    g->stop = 1;
    pthread_cond_broadcast(&g->cv_done);
    pthread_cond_broadcast(&g->cv_job);
    pthread_cond_broadcast(&g->cv_space);
    pthread_cond_broadcast(&g->cv_pool);
    pthread_mutex_unlock(&g->mu);
    return NULL;
  }
  for (;;) {
    dy_doc *doc = NULL;
    char hash[65];
    int found = 0, rc;
    job *j;
    pthread_mutex_lock(&g->mu);
    j = take_work(g, &doc);
    pthread_mutex_unlock(&g->mu);
    if (j == NULL)
      break;
    /* already stored by an earlier run: skip the analysis (a failed look-up
     * is no reason to skip: the writer's put checks again) */
    if (ro)
      dy_sha256_hex(j->in.bytes, j->in.n, hash);
    if (ro && dy_store_has_doc(ro, hash, j->in.url, &found) == DY_OK && found) {
      j->res = RES_STORED_BEFORE;
    } else {
      rc = dy_doc_analyse_input(doc, &j->in, g->date);
      if (rc == DY_OK)
        rc = dy_doc_code(doc);
      j->res = rc == DY_OK ? RES_CODED : RES_FAILED;
      j->rc = rc;
      j->doc = doc; /* results or the error message, for the writer */
      doc = NULL;
    }
    pthread_mutex_lock(&g->mu);
    if (doc) {
      g->pool[g->npool++] = doc;
      pthread_cond_signal(&g->cv_pool);
    }
    post_done(g, j);
    pthread_mutex_unlock(&g->mu);
  }
  dy_store_close(ro);
  return NULL;
}

/* ==== checkpointer thread ============================================== */

/* Copies the write-ahead log into the database after each commit, so the
 * writer does not wait for those copies and disk syncs itself (about a
 * third of its time). The writer's own threshold (DY_INGEST_WAL_PAGES)
 * stays as the bound on the log should this thread fall behind. */
static void *ckpt_main(void *arg)
{
  ingest *g = arg;
  dy_store *ck = NULL;
  dy_err err;
  if (dy_store_open(g->db, &ck, &err) < 0)
    return NULL; /* the writer keeps checkpointing itself */
  pthread_mutex_lock(&g->mu);
  g->ckpt_ready = 1;
  for (;;) {
    int stop;
    if (!g->stop && !g->ckpt_due) {
      struct timespec dl = deadline_ms(CKPT_MS);
      pthread_cond_timedwait(&g->cv_ckpt, &g->mu, &dl);
    }
    g->ckpt_due = 0;
    stop = g->stop;
    pthread_mutex_unlock(&g->mu);
    if (stop)
      break;
    /* a failure here only means the log grows until the writer's own
     * checkpoint: nothing to report */
    dy_store_checkpoint(ck, NULL);
    pthread_mutex_lock(&g->mu);
  }
  dy_store_close(ck);
  return NULL;
}

/* ==== writer (the calling thread) ======================================= */

typedef struct tally {
  size_t docs;      /* documents and unreadable inputs handled, in order */
  size_t added;     /* articles committed */
  size_t before;    /* already in the database */
  size_t failed;    /* unreadable or not coded */
  size_t capped;    /* over --max-doc-bytes or --max-doc-memory */
  size_t events;    /* events committed */
  size_t sentences; /* sentences of committed articles */
  unsigned long long bytes; /* input bytes handled */
} tally;

typedef struct writer {
  ingest *g;            /* shared state */
  dy_store *st;         /* the one write connection */
  tally t;              /* committed */
  tally pend;           /* handled in the open batch, not yet committed */
  size_t inbatch;       /* puts in the open batch */
  double batch_t0;      /* when the open batch began (now_s) */
  int tty;              /* stderr is a terminal: progress line */
  int quiet;            /* --quiet */
  double t0;            /* start of the run (now_s) */
  double last_progress; /* when the progress line was last drawn */
  int progress_shown;   /* a progress line is on screen */
  int ckpt_handed;      /* checkpoints left to the checkpointer thread */
} writer;

/* Removes and returns the done job with sequence number seq, or NULL. */
static job *take_done(ingest *g, size_t seq)
{
  job **pp;
  for (pp = &g->done; *pp; pp = &(*pp)->next)
    if ((*pp)->seq == seq) {
      job *j = *pp;
      *pp = j->next;
      j->next = NULL;
      return j;
    }
  return NULL;
}

static void pool_put(ingest *g, dy_doc *d)
{
  pthread_mutex_lock(&g->mu);
  g->pool[g->npool++] = d;
  pthread_cond_signal(&g->cv_pool);
  pthread_mutex_unlock(&g->mu);
}

static void fmt_eta(double s, char *out, size_t n)
{
  long t = (long)(s + 0.5);
  if (t >= 3600)
    snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else
    snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

static void progress(writer *w, int force)
{
  double now = now_s(), dt = now - w->t0, rate;
  unsigned long long total;
  char eta[48] = "";
  if (w->quiet || !w->tty || (!force && now - w->last_progress < 0.5))
    return;
  w->last_progress = now;
  pthread_mutex_lock(&w->g->mu);
  total = w->g->total_bytes;
  pthread_mutex_unlock(&w->g->mu);
  rate = dt > 0 ? (double)w->t.docs / dt : 0;
  /* ETA from the input bytes handled against the pre-walked file sizes:
   * approximate for containers (CSV or SGML records are smaller than their
   * files, gzip records larger: no ETA once past the total) */
  if (total && w->t.bytes > 0 && w->t.bytes < total && dt > 1) {
    char hms[32];
    fmt_eta((double)(total - w->t.bytes) * dt / (double)w->t.bytes, hms,
            sizeof hms);
    snprintf(eta, sizeof eta, ", %.0f%%, ETA %s",
             100.0 * (double)w->t.bytes / (double)total, hms);
  }
  fprintf(stderr, "\r%zu documents, %zu new, %zu events, %.1f docs/s%s\033[K",
          w->t.docs, w->t.added, w->t.events, rate, eta);
  w->progress_shown = 1;
}

/* Ends the progress line before a message goes to stderr. */
static void progress_break(writer *w)
{
  if (w->progress_shown) {
    fputs("\r\033[K", stderr);
    w->progress_shown = 0;
  }
}

static void tally_add(tally *a, const tally *b)
{
  a->docs += b->docs;
  a->added += b->added;
  a->before += b->before;
  a->failed += b->failed;
  a->capped += b->capped;
  a->events += b->events;
  a->sentences += b->sentences;
  a->bytes += b->bytes;
}

/* Tells the checkpointer about a commit; the first time it is ready, hands
 * it the checkpoints (the writer's threshold goes up to the bound). */
static void wake_checkpointer(writer *w)
{
  int ready;
  pthread_mutex_lock(&w->g->mu);
  ready = w->g->ckpt_ready;
  w->g->ckpt_due++;
  pthread_cond_signal(&w->g->cv_ckpt);
  pthread_mutex_unlock(&w->g->mu);
  if (ready && !w->ckpt_handed &&
      dy_store_autocheckpoint(w->st, DY_INGEST_WAL_PAGES) == DY_OK)
    w->ckpt_handed = 1;
}

/* Commits the open batch; the pending counts become committed only now. */
static int commit(writer *w)
{
  if (w->inbatch == 0)
    return CLI_OK;
  w->inbatch = 0;
  if (dy_store_commit(w->st) < 0) {
    progress_break(w);
    cli_error(w->g->db, "%s", dy_store_errmsg(w->st));
    memset(&w->pend, 0, sizeof w->pend);
    return CLI_FATAL;
  }
  tally_add(&w->t, &w->pend);
  memset(&w->pend, 0, sizeof w->pend);
  wake_checkpointer(w);
  return CLI_OK;
}

/* Handles the next job in input order. Counts go to pend while a batch is
 * open, so nothing is reported stored before its commit. */
static int write_job(writer *w, job *j)
{
  tally *t = w->inbatch ? &w->pend : &w->t;
  int rc = CLI_OK, inserted = 0;
  if (j->kind == JOB_READ_ERROR) {
    progress_break(w);
    cli_error(j->in.name, "%s", j->msg);
    if (j->rc == DY_ETOOBIG)
      t->capped++;
    else
      t->failed++;
    t->docs++;
    return CLI_OK;
  }
  if (j->res == RES_STORED_BEFORE) {
    t->before++;
  } else if (j->res == RES_FAILED) {
    progress_break(w);
    cli_error(j->in.name, "%s", dy_doc_errmsg(j->doc));
    if (j->rc == DY_ETOOBIG)
      t->capped++;
    else
      t->failed++;
    if (j->rc == DY_ENOMEM)
      rc = CLI_FATAL;
  } else {
    const dy_article *a = dy_doc_article(j->doc);
    if (a->nbad_utf8) {
      progress_break(w);
      cli_error(j->in.name, "%zu invalid UTF-8 bytes replaced by U+FFFD",
                a->nbad_utf8);
    }
    if (w->inbatch == 0 && w->g->batch > 1) {
      if (dy_store_begin(w->st) < 0)
        goto dberr;
      w->batch_t0 = now_s();
      t = &w->pend;
    }
    if (dy_store_put(w->st, j->doc, &inserted) < 0)
      goto dberr;
    if (w->g->batch > 1)
      w->inbatch++;
    else
      wake_checkpointer(w); /* the put was its own transaction */
    if (inserted) {
      t->added++;
      t->events += dy_doc_nevents(j->doc);
      t->sentences += a->nsents;
    } else {
      t->before++;
    }
  }
  t->docs++;
  t->bytes += j->nbytes;
  return rc;
dberr:
  progress_break(w);
  cli_error(w->g->db, "%s", dy_store_errmsg(w->st));
  return CLI_FATAL;
}

/* The writer's loop: jobs in input order until the reader is done and every
 * job is written, a fatal error, or a signal. A batch is committed when it
 * is full, DY_INGEST_BATCH_MS after it was opened, or at the end. */
static int write_all(writer *w)
{
  ingest *g = w->g;
  size_t next = 0;
  int rc = CLI_OK;
  for (;;) {
    job *j;
    int all_done, fatal, batch_due;
    pthread_mutex_lock(&g->mu);
    j = take_done(g, next);
    all_done = g->reader_done && next == g->nseq;
    if (j == NULL && !all_done && !got_signal && !g->stop) {
      long ms = TICK_MS;
      if (w->inbatch) {
        long left =
            DY_INGEST_BATCH_MS - (long)((now_s() - w->batch_t0) * 1000.0);
        ms = left < ms ? left : ms;
      }
      if (ms > 0) {
        struct timespec dl = deadline_ms(ms);
        pthread_cond_timedwait(&g->cv_done, &g->mu, &dl);
        j = take_done(g, next);
        all_done = g->reader_done && next == g->nseq;
      }
    }
    fatal = g->stop; /* a worker or the reader could not go on */
    pthread_mutex_unlock(&g->mu);
    if (j != NULL) {
      rc = write_job(w, j);
      if (j->doc)
        pool_put(g, j->doc);
      dy_free(j);
      next++;
    }
    batch_due =
        w->inbatch && (w->inbatch >= g->batch || got_signal || fatal ||
                       rc == CLI_FATAL || (j == NULL && all_done) ||
                       now_s() - w->batch_t0 >= DY_INGEST_BATCH_MS / 1000.0);
    /* keep what was coded and stored, even before a fatal error */
    if (batch_due && commit(w) != CLI_OK)
      return CLI_FATAL;
    progress(w, 0);
    if (rc == CLI_FATAL || (j == NULL && fatal))
      return CLI_FATAL;
    if (got_signal || (j == NULL && all_done))
      return CLI_OK;
  }
}

/* ==== the command ======================================================= */

/* Joins the reader once it is done; gives up after a second when it is
 * blocked reading (stdin from a pipe that stays open). Returns 1 when
 * joined. */
static int reader_finish(ingest *g, pthread_t reader)
{
  struct timespec dl = deadline_ms(1000);
  int done, e = 0;
  pthread_mutex_lock(&g->mu);
  while (!g->reader_done && e != ETIMEDOUT)
    e = pthread_cond_timedwait(&g->cv_done, &g->mu, &dl);
  done = g->reader_done;
  pthread_mutex_unlock(&g->mu);
  if (done)
    pthread_join(reader, NULL);
  return done;
}

/* Installs the stop handler for sig unless the signal is ignored (as for
 * background jobs of a non-interactive shell, or under nohup). */
static void catch_signal(int sig, struct sigaction *old)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, old);
  if (old->sa_handler == SIG_IGN)
    sigaction(sig, old, NULL);
}

static int default_jobs(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > DY_INGEST_MAX_JOBS ? DY_INGEST_MAX_JOBS : (int)n;
}

/* Rewrites -j N / -jN into --jobs N / --jobs=N (cli_parse knows long
 * options only). Returns an owned array (free with dy_free; the strings it
 * adds are in the same block) or NULL when out of memory. */
static char **short_opts(int argc, char **argv)
{
  char **v;
  size_t extra = 0;
  char *buf;
  int i;
  for (i = 1; i < argc; i++)
    if (strncmp(argv[i], "-j", 2) == 0)
      extra += strlen(argv[i]) + sizeof "--jobs=";
  v = dy_malloc(((size_t)argc + 1) * sizeof *v + extra);
  if (v == NULL)
    return NULL;
  buf = (char *)(v + argc + 1);
  for (i = 0; i < argc; i++) {
    v[i] = argv[i];
    if (i > 0 && strcmp(argv[i], "--") == 0) {
      for (; i < argc; i++)
        v[i] = argv[i];
      break;
    }
    if (i > 0 && strncmp(argv[i], "-j", 2) == 0) {
      size_t n = strlen(argv[i] + 2);
      if (n == 0) {
        memcpy(buf, "--jobs", sizeof "--jobs");
        v[i] = buf;
        buf += sizeof "--jobs";
      } else {
        memcpy(buf, "--jobs=", sizeof "--jobs=" - 1);
        memcpy(buf + sizeof "--jobs=" - 1, argv[i] + 2, n + 1);
        v[i] = buf;
        buf += sizeof "--jobs=" + n;
      }
    }
  }
  v[argc] = NULL;
  return v;
}

/* Parses a decimal count in [lo, hi]; -1 when invalid. */
static long parse_count(const char *s, long lo, long hi)
{
  char *end;
  long v;
  if (s == NULL || !dy_isdigit(s[0]))
    return -1;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || *end || v < lo || v > hi)
    return -1;
  return v;
}

static void summary(const writer *w, int jobs, double secs)
{
  const tally *t = &w->t;
  fprintf(stderr, "%zu documents: %zu new, %zu already stored", t->docs,
          t->added, t->before);
  if (t->failed)
    fprintf(stderr, ", %zu failed", t->failed);
  if (t->capped)
    fprintf(stderr, ", %zu skipped over a size or memory cap", t->capped);
  fprintf(stderr, ", %zu events\n", t->events);
  fprintf(stderr,
          "time: %.2f s, %.1f documents/s, %.2f MB/s, %zu sentences, "
          "%d workers\n",
          secs, secs > 0 ? (double)t->docs / secs : 0.0,
          secs > 0 ? (double)t->bytes / secs / 1e6 : 0.0, t->sentences, jobs);
}

int cli_ingest(int argc, char **argv)
{
  static const cli_cmd cmd = {
      "ingest", "--db FILE [options] FILE|DIR|-...",
      "Reads, codes and stores news files with N worker threads and one "
      "writer.\nEach input is keyed by the SHA-256 of its bytes: ingesting "
      "it again changes\nnothing, so an interrupted run (^C, kill, crash) is "
      "resumed by running it\nagain. Articles are committed in input order, "
      "in transactions of up to\n--batch articles: whatever was reported "
      "stored is stored. SIGINT/SIGTERM\nfinish the current transaction, "
      "report and exit with 128 + the signal\nnumber; a second signal exits "
      "at once. Progress on a terminal.",
      NULL};
  char jobs_default[16];
  cli_opt opts[] = {
      {"db", "FILE", "SQLite database (created when missing)", NULL},
      {"jobs", "N", "worker threads, also -j N (default: the cores)", NULL},
      {"date", "YYYY-MM-DD", "publication date for inputs without one", NULL},
      {"dict-dir", "DIR", "dictionary directory", NULL},
      {"max-doc-bytes", "N", "skip documents larger than N bytes (k/M/G)",
       "64M"},
      {"max-doc-memory", "N", "skip documents needing more work memory (k/M/G)",
       "1G"},
      {"batch", "N", "articles per transaction at most (1 = one each)", "64"},
      {"quiet", NULL, "no progress or summary on stderr", NULL},
      {"verbose", NULL, "log dictionary warnings", NULL},
      {"alignments", "FILE",
       "baseline alignments (default: DICT-DIR/alignments.tsv)", NULL},
      {NULL, NULL, NULL, NULL}};
  char **args = NULL, **pos = NULL;
  int npos, rc, i, started = 0, reader_started = 0, locks = 0;
  int reader_stuck = 0, ckpt_started = 0;
  long jobs, batch;
  long long max, mem;
  ingest g;
  writer w;
  pthread_t reader, ckpt, *workers = NULL;
  dy_doc **docs = NULL;
  size_t ndocs = 0;
  dy_engine *eng = NULL;
  dy_err err;
  struct sigaction old_int, old_term;
  sigset_t block, oldmask;
  double t0;
  memset(&g, 0, sizeof g);
  memset(&w, 0, sizeof w);
  snprintf(jobs_default, sizeof jobs_default, "%d", default_jobs());
  opts[1].value = jobs_default;
  args = short_opts(argc, argv);
  pos = dy_calloc((size_t)argc + 1, sizeof *pos);
  if (args == NULL || pos == NULL) {
    cli_error("ingest", "out of memory");
    rc = CLI_FATAL;
    goto out;
  }
  rc = cli_parse(&cmd, opts, argc, args, pos, &npos);
  if (rc != 0) {
    rc = rc > 0 ? CLI_OK : CLI_USAGE;
    goto out;
  }
  max = cli_size(cli_get(opts, "max-doc-bytes"));
  mem = cli_size(cli_get(opts, "max-doc-memory"));
  jobs = parse_count(cli_get(opts, "jobs"), 1, DY_INGEST_MAX_JOBS);
  batch = parse_count(cli_get(opts, "batch"), 1, 1000000);
  g.date = cli_get(opts, "date");
  rc = CLI_USAGE;
  if (cli_get(opts, "db") == NULL)
    cli_error("ingest", "--db FILE is required");
  else if (npos == 0)
    cli_error("ingest", "no input files (use - for standard input)");
  else if (max <= 0)
    cli_error("ingest", "bad --max-doc-bytes '%s'",
              cli_get(opts, "max-doc-bytes"));
  else if (mem < 65536)
    cli_error("ingest", "bad --max-doc-memory '%s' (at least 64k)",
              cli_get(opts, "max-doc-memory"));
  else if (jobs < 0)
    cli_error("ingest", "bad --jobs '%s' (1 to %d)", cli_get(opts, "jobs"),
              DY_INGEST_MAX_JOBS);
  else if (batch < 0)
    cli_error("ingest", "bad --batch '%s' (1 to 1000000)",
              cli_get(opts, "batch"));
  else if (g.date && dy_date_parse(dy_str_c(g.date)) < 0)
    cli_error("ingest", "bad --date '%s' (want YYYY-MM-DD)", g.date);
  else
    rc = CLI_OK;
  if (rc != CLI_OK)
    goto out;

  w.quiet = cli_get(opts, "quiet") != NULL;
  w.tty = isatty(2);
  cli_log_init(cli_get(opts, "verbose") ? DY_LOG_INFO : DY_LOG_ERROR);
  eng = cli_engine(opts);
  if (eng == NULL) {
    rc = CLI_FATAL;
    goto out;
  }
  g.eng = eng;
  g.db = cli_get(opts, "db");
  g.paths = pos;
  g.npaths = npos;
  g.jobs = (int)jobs;
  g.max_doc_bytes = (size_t)max;
  g.batch = (size_t)batch;
  g.want_total = w.tty && !w.quiet;
  g.qmax = (size_t)jobs * 2 + 2;
  w.g = &g;
  /* the writer opens (and creates or migrates) the database first */
  if (dy_store_open(g.db, &w.st, &err) < 0) {
    cli_error(g.db, "%s", err.msg);
    rc = CLI_FATAL;
    goto out;
  }
  /* the baseline alignments first, so coded events renew and strengthen
   * them (a no-op when that file is loaded already) */
  if (cli_alignments_load(g.db, w.st, opts) != CLI_OK) {
    rc = CLI_FATAL;
    goto out;
  }
  {
    /* a fresh database has nothing to skip: no look-ups before analysis
     * (duplicates within the run are still caught by the writer's put) */
    dy_store_counts cnt;
    g.precheck = dy_store_counts_get(w.st, &cnt) < 0 || cnt.articles > 0;
  }
  /* document contexts: one per worker plus as many again to hold coded
   * documents waiting for the writer */
  ndocs = (size_t)jobs * 2 + 2;
  docs = dy_calloc(ndocs, sizeof(dy_doc *));
  g.pool = dy_calloc(ndocs, sizeof(dy_doc *));
  workers = dy_calloc((size_t)jobs, sizeof *workers);
  if (docs == NULL || g.pool == NULL || workers == NULL) {
    cli_error("ingest", "out of memory");
    rc = CLI_FATAL;
    goto out;
  }
  for (i = 0; i < (int)ndocs; i++) {
    dy_doc_opts dopts;
    memset(&dopts, 0, sizeof dopts);
    dopts.max_bytes = (size_t)max;
    dopts.arena_cap = (size_t)mem;
    if (dy_doc_new(eng, &dopts, &docs[i]) < 0) {
      cli_error("ingest", "out of memory");
      rc = CLI_FATAL;
      goto out;
    }
    g.pool[g.npool++] = docs[i];
  }
  if (pthread_mutex_init(&g.mu, NULL) != 0 ||
      pthread_cond_init(&g.cv_job, NULL) != 0 ||
      pthread_cond_init(&g.cv_space, NULL) != 0 ||
      pthread_cond_init(&g.cv_pool, NULL) != 0 ||
      pthread_cond_init(&g.cv_done, NULL) != 0 ||
      pthread_cond_init(&g.cv_ckpt, NULL) != 0) {
    cli_error("ingest", "cannot create locks");
    rc = CLI_FATAL;
    goto out;
  }
  locks = 1;

  /* signals: the threads block them, the writer notices the flag */
  got_signal = 0;
  catch_signal(SIGINT, &old_int);
  catch_signal(SIGTERM, &old_term);
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &oldmask);
  t0 = now_s();
  w.t0 = t0;
  if (pthread_create(&reader, NULL, reader_main, &g) == 0)
    reader_started = 1;
  for (i = 0; reader_started && i < (int)jobs; i++) {
    if (pthread_create(&workers[i], NULL, worker_main, &g) != 0)
      break;
    started++;
  }
  /* without it, the writer checkpoints itself as usual */
  if (pthread_create(&ckpt, NULL, ckpt_main, &g) == 0)
    ckpt_started = 1;
  pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
  if (!reader_started || started == 0) {
    cli_error("ingest", "cannot start threads");
    rc = CLI_FATAL;
  } else {
    rc = write_all(&w);
  }

  /* stop and join everyone; documents not written are dropped */
  pthread_mutex_lock(&g.mu);
  g.stop = 1;
  pthread_cond_broadcast(&g.cv_job);
  pthread_cond_broadcast(&g.cv_space);
  pthread_cond_broadcast(&g.cv_pool);
  pthread_cond_broadcast(&g.cv_done);
  pthread_cond_broadcast(&g.cv_ckpt);
  pthread_mutex_unlock(&g.mu);
  for (i = 0; i < started; i++)
    pthread_join(workers[i], NULL);
  if (ckpt_started)
    pthread_join(ckpt, NULL);
  if (reader_started)
    reader_stuck = !reader_finish(&g, reader);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  progress_break(&w);
  if (got_signal)
    fprintf(stderr,
            "dyad: ingest: interrupted by %s: everything counted below is "
            "stored; run the same command again to resume\n",
            got_signal == SIGINT ? "SIGINT" : "SIGTERM");
  if (!w.quiet || got_signal)
    summary(&w, (int)jobs, now_s() - t0);
  if (rc == CLI_OK && got_signal)
    rc = 128 + got_signal;
  else if (rc == CLI_OK && (w.t.failed || w.t.capped))
    rc = CLI_DATA;
  if (reader_stuck) {
    /* the reader sits in a blocking read (a quiet pipe on stdin) and still
     * uses the shared state: everything stored is committed, so leave
     * without tearing that state down under it */
    dy_store_close(w.st);
    fflush(NULL);
    _exit(rc);
  }

out:
  if (locks) {
    job *j;
    while ((j = g.qhead) != NULL) {
      g.qhead = j->next;
      dy_free(j);
    }
    while ((j = g.done) != NULL) {
      g.done = j->next;
      dy_free(j);
    }
    pthread_cond_destroy(&g.cv_ckpt);
    pthread_cond_destroy(&g.cv_done);
    pthread_cond_destroy(&g.cv_pool);
    pthread_cond_destroy(&g.cv_space);
    pthread_cond_destroy(&g.cv_job);
    pthread_mutex_destroy(&g.mu);
  }
  dy_store_close(w.st); /* an open batch (after a fatal error) rolls back */
  for (i = 0; i < (int)ndocs; i++)
    dy_doc_free(docs ? docs[i] : NULL);
  dy_free(docs);
  dy_free(g.pool);
  dy_free(workers);
  dy_engine_free(eng);
  dy_free(pos);
  dy_free(args);
  return rc;
}
