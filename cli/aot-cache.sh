# Lathe's automatic JDK AOT cache (sourced by ./lathe and bench/launch.sh, not run).
#
# A fresh JVM spends about as long loading, linking and profiling Lathe's own classes as it
# spends compiling a model (BENCHMARKS.md, "Compile time"). A JDK 25 AOT cache (JEP 483/514/515)
# made from an earlier run of the same command removes most of that. This file makes one
# automatically, per launcher workload (a `lathe` subcommand, a bench main class), in
#   ${LATHE_AOT_DIR:-${XDG_CACHE_HOME:-~/.cache}/lathe/aot}
# in three steps, each safe to interrupt or to run concurrently:
#   1. no cache yet: the run records its classes and profiles (-XX:AOTMode=record) into
#      NAME-KEY.cfg.PID, written by the JVM when it exits (PID is the JVM's: the launcher execs);
#   2. the next launch finds a finished recording (its process is gone), assembles the cache
#      from it (-XX:AOTMode=create, a few seconds, output discarded) into a temporary file and
#      renames it into place (atomic), then runs with it;
#   3. later launches run with NAME-KEY.aot.
# KEY hashes the JDK, every jar of the class path (path, size, modification time) and the JVM
# options, so a rebuilt jar, another JDK or other options get a new cache and the old ones are deleted when it is made. The
# JVM itself checks the cache too (version, class path, a header magic, truncation) and runs
# without it, silently here (-Xlog:aot=off), when it does not fit or is corrupt.
#   LATHE_AOT_CACHE=off    no cache at all
#   LATHE_AOT_CACHE=FILE   the older explicit mode: FILE is made by the first run at its exit
#                          (-XX:AOTCacheOutput) and used by later ones while newer than the jar

# lathe_aot_opts NAME CLASSPATH JVM_OPTIONS JAR...: prints the JVM options for workload NAME (one
# per line); CLASSPATH is the class path the JVM will get (jars only), JVM_OPTIONS the other
# options it will get (part of the key), JAR... the files the class path names.
lathe_aot_opts() {
  local name="$1" classpath="$2" jvm_options="$3"
  shift 3
  local setting="${LATHE_AOT_CACHE:-auto}"
  case "$setting" in
    off) return 0 ;;
    auto) ;;
    *)
      if [[ -f "$setting" && ! "$setting" -ot "$1" ]]; then
        printf '%s\n' "-XX:AOTCache=$setting"
      else
        rm -f "$setting"
        printf '%s\n' "-XX:AOTCacheOutput=$setting"
      fi
      return 0
      ;;
  esac
  command -v sha256sum >/dev/null || return 0
  local dir="${LATHE_AOT_DIR:-}"
  if [[ -z "$dir" ]]; then
    [[ -n "${XDG_CACHE_HOME:-}" || -n "${HOME:-}" ]] || return 0
    dir="${XDG_CACHE_HOME:-${HOME:-}/.cache}/lathe/aot"
  fi
  mkdir -p "$dir" 2>/dev/null && [[ -w "$dir" ]] || return 0
  local where key
  where="$(printf '%s\n' "$(readlink -f "$1")" | sha256sum | cut -c1-8)"
  key="$({ stat -L -c '%n %s %Y' "$JAVA_HOME/lib/server/libjvm.so" "$JAVA_HOME/lib/modules" "$@" 2>/dev/null
    printf '%s\n' "$classpath" "$jvm_options"; } | sha256sum | cut -c1-16)"
  local prefix="$dir/$name-$where-" base
  base="$prefix$key"
  local quiet=(-Xlog:aot=off -Xlog:cds=off)

  if [[ -s "$base.aot" ]]; then
    printf '%s\n' "-XX:AOTCache=$base.aot" "${quiet[@]}"
    return 0
  fi

  # A recording whose process has exited is complete (or failed; then create fails and it goes).
  local cfg pid finished="" recording=""
  for cfg in "$base".cfg.*; do
    [[ -e "$cfg" ]] || continue
    pid="${cfg##*.}"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      recording="$cfg"
    elif [[ -s "$cfg" && -z "$finished" ]]; then
      finished="$cfg"
    else
      rm -f "$cfg"
    fi
  done

  if [[ -n "$finished" ]]; then
    (
      # One launcher assembles; the others wait for it, then find the cache made.
      exec 8>"$base.lock"
      command -v flock >/dev/null && flock 8
      if [[ ! -s "$base.aot" && -s "$finished" ]]; then
        local tmp="$base.aot.tmp.$$"
        if "$JAVA_HOME/bin/java" -XX:AOTMode=create -XX:AOTConfiguration="$finished" -XX:AOTCache="$tmp" \
            -cp "$classpath" >/dev/null 2>&1 && [[ -s "$tmp" ]]; then
          mv -f "$tmp" "$base.aot"
          # Caches and recordings of older builds of the same jar path.
          local old
          for old in "$prefix"*; do
            [[ "$old" == "$base".* ]] && continue
            case "$old" in
              *.cfg.*) pid="${old##*.}"; kill -0 "$pid" 2>/dev/null || rm -f "$old" ;;
              *.aot | *.lock) rm -f "$old" ;;
            esac
          done
        fi
        rm -f "$tmp" "$finished"
      fi
    ) </dev/null
    if [[ -s "$base.aot" ]]; then
      printf '%s\n' "-XX:AOTCache=$base.aot" "${quiet[@]}"
      return 0
    fi
  fi

  # No cache and nobody recording: this run records ($$ is the JVM's pid once the launcher execs).
  # The JVM announces the recording at exit on its own output channel, which would follow a
  # command's last line (bench/compare's result); that channel is off for this one run.
  if [[ -z "$recording" ]]; then
    printf '%s\n' "-XX:AOTMode=record" "-XX:AOTConfiguration=$base.cfg.$$" -XX:+UnlockDiagnosticVMOptions \
      -XX:-DisplayVMOutput "${quiet[@]}"
  fi
}
