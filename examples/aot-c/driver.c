/*
 * Runs a model compiled by `lathe compile` once: reads INPUT_DIR/<name>.bin for every input
 * (raw little-endian elements, row-major, exactly the size the manifest gives), runs it, and
 * writes OUTPUT_DIR/<name>.bin for every output (a bounded output, whose shape depends on the
 * data, cut to its extent: exactly the tensor's bytes; its extent output is not written). Built against the artifact's model.h and
 * linked with its libmodel.so; needs neither Lathe nor LLVM.
 *
 *   driver ARTIFACT_DIR INPUT_DIR OUTPUT_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const char *const input_names[] = LATHE_INPUT_NAMES;
static const long long input_bytes[] = LATHE_INPUT_BYTES;
static const char *const output_names[] = LATHE_OUTPUT_NAMES;
static const long long output_bytes[] = LATHE_OUTPUT_BYTES;
static const int extent_outputs[] = LATHE_OUTPUT_EXTENT_OUTPUTS;
static const int extent_of[] = LATHE_OUTPUT_EXTENT_OF;
static const long long outer_counts[] = LATHE_OUTPUT_OUTER_COUNTS;
static const long long inner_bytes[] = LATHE_OUTPUT_INNER_BYTES;
static const long long max_extents[] = LATHE_OUTPUT_MAX_EXTENTS;

/* Output names may hold characters a file name cannot; keep [A-Za-z0-9._-]. */
static void file_path(char *out, size_t cap, const char *dir, const char *name) {
  char safe[512];
  size_t i = 0;
  for (; name[i] && i + 1 < sizeof safe; i++) {
    char c = name[i];
    int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
             c == '_' || c == '-';
    safe[i] = ok ? c : '_';
  }
  safe[i] = 0;
  snprintf(out, cap, "%s/%s.bin", dir, safe);
}

static void *aligned_buffer(long long bytes) {
  size_t size = (size_t)((bytes + 63) / 64 * 64);
  void *p = aligned_alloc(64, size == 0 ? 64 : size);
  if (!p) {
    fprintf(stderr, "out of memory allocating %lld bytes\n", bytes);
    exit(1);
  }
  return p;
}

static void *read_input(const char *dir, const char *name, long long bytes) {
  char path[4096];
  file_path(path, sizeof path, dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open input '%s': %s\n", name, path);
    exit(1);
  }
  void *buf = aligned_buffer(bytes);
  size_t got = fread(buf, 1, (size_t)bytes, f);
  int extra = fgetc(f) != EOF;
  fclose(f);
  if ((long long)got != bytes || extra) {
    fprintf(stderr, "input '%s' (%s) must hold exactly %lld bytes\n", name, path, bytes);
    exit(1);
  }
  return buf;
}

static void write_output(const char *dir, const char *name, const void *buf, long long bytes) {
  char path[4096];
  file_path(path, sizeof path, dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(buf, 1, (size_t)bytes, f) != (size_t)bytes || fclose(f) != 0) {
    fprintf(stderr, "cannot write output '%s' to %s\n", name, path);
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s ARTIFACT_DIR INPUT_DIR OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  lathe_model *model = lathe_open(argv[1]);
  if (!model) {
    fprintf(stderr, "cannot open the model in %s: %s\n", argv[1], lathe_open_error());
    return 1;
  }
  void *inputs[LATHE_NUM_INPUTS + 1];
  void *outputs[LATHE_NUM_OUTPUTS + 1];
  for (int i = 0; i < LATHE_NUM_INPUTS; i++) {
    inputs[i] = read_input(argv[2], input_names[i], input_bytes[i]);
  }
  for (int i = 0; i < LATHE_NUM_OUTPUTS; i++) {
    outputs[i] = aligned_buffer(output_bytes[i]);
  }
  int code = lathe_run(model, inputs, outputs);
  if (code != 0) {
    fprintf(stderr, "the model failed: %s\n", code > 0 ? lathe_error_message(code) : "out of memory");
    lathe_close(model);
    return 1;
  }
  for (int i = 0; i < LATHE_NUM_OUTPUTS; i++) {
    if (extent_of[i] >= 0) continue; /* the extent of another output */
    long long bytes = output_bytes[i];
    if (extent_outputs[i] >= 0) {
      /* keep the first `extent` indices of the bounded dim in each run: a forward move in place */
      long long extent = *(const long long *)outputs[extent_outputs[i]];
      long long run = extent * inner_bytes[i];
      for (long long o = 0; o < outer_counts[i]; o++) {
        memmove((char *)outputs[i] + o * run, (char *)outputs[i] + o * max_extents[i] * inner_bytes[i], (size_t)run);
      }
      bytes = outer_counts[i] * run;
    }
    write_output(argv[3], output_names[i], outputs[i], bytes);
  }
  for (int i = 0; i < LATHE_NUM_INPUTS; i++) free(inputs[i]);
  for (int i = 0; i < LATHE_NUM_OUTPUTS; i++) free(outputs[i]);
  lathe_close(model);
  return 0;
}
