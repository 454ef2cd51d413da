# Shared by bench/compare, bench/gemm and bench/jmh (sourced, not run): finds JDK 25, builds
# bench/ and what it depends on when a pom.xml or anything under */src/main is newer than the
# bench jar (like the root ./lathe launcher; Maven offline, no tests, no install), then runs
# the main class given with target/classes:target/lib/*.
#   LATHE_JAVA_OPTS   extra JVM options, e.g. LATHE_JAVA_OPTS="-Xmx8g"
#   LATHE_AOT_CACHE   off: no JDK AOT cache; FILE: that one; unset: automatic (cli/aot-cache.sh);
#                     with a cache the class path is the bench jar (an AOT cache takes no directories)
set -euo pipefail
[[ -v BENCH_JVM_OPTS ]] || BENCH_JVM_OPTS=()

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$root/bench/target/lathe-bench-0.1.0-SNAPSHOT.jar"

lathe_jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${JAVA_HOME:-/nonexistent}/release" 2>/dev/null | head -n 1 || :)"
[[ "$major" =~ ^[0-9]+$ ]] || major=0
if ((major < 25)) && [[ -x "$lathe_jdk25/bin/java" ]]; then
  export JAVA_HOME="$lathe_jdk25"
fi
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]]; then
  echo "bench: needs JDK 25: set JAVA_HOME (e.g. JAVA_HOME=$lathe_jdk25)" >&2
  exit 1
fi

bench_stale() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$root" \( -name target -o -name .git -o -name node_modules \) -prune -o \
            \( -name pom.xml -o -path "$root/*/src/main/*" \) -type f -newer "$jar" -print -quit)" ]]
}

if bench_stale; then
  mkdir -p "$root/bench/target"
  exec 9>"$root/bench/target/.bench-build.lock"
  command -v flock >/dev/null && flock 9
  if bench_stale; then
    echo "bench: building bench/ ..." >&2
    (cd "$root" && ./mvnw -o -q -B -DskipTests -pl bench -am package) >&2
    touch "$jar"
  fi
  exec 9>&-
fi

# The automatic JDK AOT cache of Lathe's classes (cli/aot-cache.sh; LATHE_AOT_CACHE=off turns it
# off and runs from target/classes), one per main class.
source "$root/cli/aot-cache.sh"

# bench_run MAIN_CLASS ARGS...; BENCH_JVM_OPTS (an array, optional): JVM options of that tool.
bench_run() {
  local main="$1"
  shift
  local jvm=("${BENCH_JVM_OPTS[@]}")
  local classpath="$root/bench/target/classes:$root/bench/target/lib/*"
  local aot=()
  if [[ "${LATHE_AOT_CACHE:-auto}" != off ]]; then
    # An AOT cache takes jars only: the bench jar instead of target/classes.
    classpath="$jar:$root/bench/target/lib/*"
    mapfile -t aot < <(lathe_aot_opts "bench-${main##*.}" "$classpath" "${jvm[*]} ${LATHE_JAVA_OPTS:-}" \
      "$jar" "$root"/bench/target/lib/*.jar)
  fi
  # shellcheck disable=SC2086  # LATHE_JAVA_OPTS is deliberately word-split
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${jvm[@]}" "${aot[@]}" ${LATHE_JAVA_OPTS:-} \
    -cp "$classpath" "$main" "$@"
}
