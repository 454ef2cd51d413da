/*
 * Lathe AOT runtime: a pthread pool implementing lathe_rt.parallel_for, and the convenience
 * API declared in model.h (lathe_open / lathe_run / lathe_close / ...). Linked into
 * libmodel.so beside model.o, which defines lathe_main and the lathe_* constants below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

typedef struct lathe_rt lathe_rt;
struct lathe_rt {
  void (*parallel_for)(lathe_rt *rt, void (*body)(void *ctx, int64_t begin, int64_t end),
                       void *ctx, int64_t n, int64_t grain);
  int32_t error;
};

/* Defined by model.o. */
extern int32_t lathe_main(void *const *inputs, void *const *outputs, const void *weights,
                          void *workspace, lathe_rt *rt);
extern const int64_t lathe_workspace_size;
extern const int64_t lathe_weights_size;
extern const int32_t lathe_assert_message_count;
extern const char *const lathe_assert_messages[];

/* ---- thread pool: one parallel_for at a time, the calling thread takes chunks too ---- */

typedef struct job {
  void (*body)(void *, int64_t, int64_t);
  void *ctx;
  int64_t n, chunk;
  _Atomic int64_t next;
  _Atomic int64_t done; /* iterations finished; changed under pool.mu */
  _Atomic int refs;     /* workers that took this job and have not let go; changed under pool.mu */
} job;

typedef struct pool {
  pthread_mutex_t mu;
  pthread_cond_t wake, finished;
  pthread_mutex_t submit; /* serializes parallel_for calls of concurrent lathe_run calls */
  job *job;
  _Atomic uint64_t generation; /* changed under mu; read without it while spinning */
  int64_t spin_ns;
  int shutdown;
  int nworkers;
  pthread_t *workers;
} pool;

static int64_t run_chunks(job *j) {
  int64_t mine = 0;
  for (;;) {
    int64_t begin = atomic_fetch_add(&j->next, j->chunk);
    if (begin >= j->n) break;
    int64_t end = begin + j->chunk < j->n ? begin + j->chunk : j->n;
    j->body(j->ctx, begin, end);
    mine += end - begin;
  }
  return mine;
}

/* Spinning before sleeping: a sleeping worker is woken tens of microseconds late on every
   parallel loop, as long as half of a small model's GEMM (the JIT's pool measured the same:
   docs/backend-cpu.md). So a worker that ran out of work, and a caller waiting for workers,
   watch the shared state for LATHE_SPIN_MICROS (default 100) before they block. */
static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/* Spins until done() holds or spin_ns pass; done() is only a hint, re-checked under the mutex. */
#define SPIN_UNTIL(p, cond)                                                  \
  do {                                                                        \
    if ((p)->spin_ns > 0 && !(cond)) {                                        \
      int64_t deadline = now_ns() + (p)->spin_ns;                            \
      for (int i = 1; !(cond); i++) {                                         \
        cpu_relax();                                                          \
        if (i % 64 == 0 && now_ns() > deadline) break;                        \
      }                                                                       \
    }                                                                         \
  } while (0)

static void *worker_main(void *arg) {
  pool *p = arg;
  uint64_t seen = 0;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    if (!p->shutdown && atomic_load(&p->generation) == seen) {
      pthread_mutex_unlock(&p->mu);
      SPIN_UNTIL(p, atomic_load(&p->generation) != seen);
      pthread_mutex_lock(&p->mu);
    }
    while (!p->shutdown && (p->job == NULL || p->generation == seen))
      pthread_cond_wait(&p->wake, &p->mu);
    if (p->shutdown) break;
    seen = p->generation;
    job *j = p->job;
    j->refs++;
    pthread_mutex_unlock(&p->mu);
    int64_t mine = run_chunks(j);
    pthread_mutex_lock(&p->mu);
    j->done += mine;
    j->refs--;
    pthread_cond_broadcast(&p->finished);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

static int pool_start(pool *p, int threads) {
  memset(p, 0, sizeof *p);
  pthread_mutex_init(&p->mu, NULL);
  pthread_mutex_init(&p->submit, NULL);
  pthread_cond_init(&p->wake, NULL);
  pthread_cond_init(&p->finished, NULL);
  const char *spin = getenv("LATHE_SPIN_MICROS");
  p->spin_ns = (spin && *spin ? atoll(spin) : 100) * 1000;
  int n = threads > 1 ? threads - 1 : 0;
  p->workers = n ? calloc((size_t)n, sizeof(pthread_t)) : NULL;
  if (n && !p->workers) return -1;
  for (int i = 0; i < n; i++) {
    if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0) break;
    p->nworkers++;
  }
  return 0;
}

static void pool_stop(pool *p) {
  pthread_mutex_lock(&p->mu);
  p->shutdown = 1;
  p->generation++; /* ends the workers' spins */
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < p->nworkers; i++) pthread_join(p->workers[i], NULL);
  free(p->workers);
  pthread_mutex_destroy(&p->mu);
  pthread_mutex_destroy(&p->submit);
  pthread_cond_destroy(&p->wake);
  pthread_cond_destroy(&p->finished);
}

/* The rt passed to lathe_main is the first member, so parallel_for finds its pool. */
typedef struct call_rt {
  lathe_rt rt;
  pool *pool;
} call_rt;

#define CHUNKS_PER_THREAD 4

static void parallel_for(lathe_rt *rt, void (*body)(void *, int64_t, int64_t), void *ctx,
                         int64_t n, int64_t grain) {
  if (n <= 0) return;
  pool *p = ((call_rt *)rt)->pool;
  int64_t min_chunk = grain > 1 ? grain : 1;
  int64_t chunks = (int64_t)(p ? p->nworkers + 1 : 1) * CHUNKS_PER_THREAD;
  if (chunks > n / min_chunk) chunks = n / min_chunk;
  if (!p || p->nworkers == 0 || chunks <= 1) {
    body(ctx, 0, n);
    return;
  }
  job j = {.body = body, .ctx = ctx, .n = n, .chunk = (n + chunks - 1) / chunks};
  atomic_init(&j.next, 0);
  pthread_mutex_lock(&p->submit);
  pthread_mutex_lock(&p->mu);
  p->job = &j;
  p->generation++;
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mu);
  int64_t mine = run_chunks(&j);
  SPIN_UNTIL(p, atomic_load(&j.done) + mine >= n && atomic_load(&j.refs) == 0);
  pthread_mutex_lock(&p->mu);
  j.done += mine;
  /* j lives on this stack: wait until every worker that took it has let go. */
  while (j.done < n || j.refs > 0) pthread_cond_wait(&p->finished, &p->mu);
  p->job = NULL;
  pthread_mutex_unlock(&p->mu);
  pthread_mutex_unlock(&p->submit);
}

/* ---- convenience API ---- */

typedef struct lathe_model {
  void *weights;
  pool pool;
  int threads;
  /* One workspace kept between calls: allocating it per call faulted in and zeroed fresh pages
     every time (13% of MiniLM seq 128 at 2 threads). A concurrent call that finds none takes
     its own. No kernel reads workspace it did not write, so reuse needs no clearing. */
  _Atomic(void *) spare_workspace;
} lathe_model;

static _Thread_local char open_error[512];

const char *lathe_open_error(void) { return open_error; }

static int default_threads(void) {
  const char *env = getenv("LATHE_NUM_THREADS");
  if (env && atoi(env) > 0) return atoi(env);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

static size_t round_up_64(int64_t n) { return (size_t)((n + 63) / 64 * 64); }

/* The weights are read in full on every call, mostly from memory; on 2 MB pages the GEMM
   kernels' strided reads of them stop missing the TLB (MiniLM seq 16: 8.5 -> 7.7 ms). The
   advice must come before the first write (fread), so the pages are made huge when touched. */
static void *alloc_weights(size_t size) {
  const size_t huge = (size_t)2 << 20;
  if (size < huge) {
    return aligned_alloc(64, round_up_64((int64_t)size));
  }
  size_t rounded = (size + huge - 1) & ~(huge - 1);
  void *p = aligned_alloc(huge, rounded);
#ifdef MADV_HUGEPAGE
  if (p) {
    madvise(p, rounded, MADV_HUGEPAGE); /* best effort: with THP off the pages stay small */
  }
#endif
  return p;
}

lathe_model *lathe_open(const char *artifact_dir) {
  open_error[0] = 0;
  lathe_model *m = calloc(1, sizeof *m);
  if (!m) {
    snprintf(open_error, sizeof open_error, "out of memory");
    return NULL;
  }
  if (lathe_weights_size > 0) {
    char path[4096];
    snprintf(path, sizeof path, "%s/weights.bin", artifact_dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
      snprintf(open_error, sizeof open_error, "cannot open %s: %s", path, strerror(errno));
      free(m);
      return NULL;
    }
    m->weights = alloc_weights((size_t)lathe_weights_size);
    size_t got = m->weights ? fread(m->weights, 1, (size_t)lathe_weights_size, f) : 0;
    int extra = fgetc(f) != EOF;
    fclose(f);
    if (!m->weights || got != (size_t)lathe_weights_size || extra) {
      snprintf(open_error, sizeof open_error, "%s must hold exactly %lld bytes", path,
               (long long)lathe_weights_size);
      free(m->weights);
      free(m);
      return NULL;
    }
  }
  m->threads = default_threads();
  if (pool_start(&m->pool, m->threads) != 0) {
    snprintf(open_error, sizeof open_error, "cannot start the thread pool");
    free(m->weights);
    free(m);
    return NULL;
  }
  return m;
}

/* Not safe while lathe_run calls on the same model are in flight. */
int lathe_set_threads(lathe_model *m, int threads) {
  if (threads < 1) return -1;
  pool_stop(&m->pool);
  m->threads = threads;
  return pool_start(&m->pool, threads);
}

int lathe_run(lathe_model *m, void *const *inputs, void *const *outputs) {
  void *workspace = NULL;
  if (lathe_workspace_size > 0) {
    workspace = atomic_exchange(&m->spare_workspace, NULL);
    if (!workspace) workspace = aligned_alloc(64, round_up_64(lathe_workspace_size));
    if (!workspace) return -1;
  }
  call_rt rt = {.rt = {.parallel_for = parallel_for, .error = 0}, .pool = &m->pool};
  int32_t code = lathe_main(inputs, outputs, m->weights, workspace, &rt.rt);
  void *none = NULL;
  if (workspace && !atomic_compare_exchange_strong(&m->spare_workspace, &none, workspace)) free(workspace);
  return code;
}

const char *lathe_error_message(int code) {
  if (code == 0) return "ok";
  if (code == -1) return "out of memory for the workspace";
  if (code >= 1 && code <= lathe_assert_message_count) return lathe_assert_messages[code - 1];
  return "unknown error code";
}

void lathe_close(lathe_model *m) {
  if (!m) return;
  pool_stop(&m->pool);
  free(atomic_load(&m->spare_workspace));
  free(m->weights);
  free(m);
}
