# Sourced by the project's scripts: sets JAVA_HOME to a JDK >= 25, or stops with one sentence.
# Order: JAVA_HOME if it qualifies, then the newest JDK under /usr/lib/jvm.

loomcache_java_feature() {
  # Prints the feature release (17, 25, ...) of the java binary in $1, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

loomcache_find_jdk() {
  local min=25 candidate feature best="" best_feature=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    feature=$(loomcache_java_feature "$JAVA_HOME/bin/java")
    if [ -n "$feature" ] && [ "$feature" -ge "$min" ]; then
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    feature=$(loomcache_java_feature "$candidate/bin/java")
    if [ -n "$feature" ] && [ "$feature" -ge "$min" ] && [ "$feature" -gt "$best_feature" ]; then
      best="$candidate"
      best_feature="$feature"
    fi
  done
  if [ -z "$best" ]; then
    echo "LoomCache needs a JDK 25 or newer: none found in JAVA_HOME (${JAVA_HOME:-unset}) or under /usr/lib/jvm; install Temurin 25 there or point JAVA_HOME at one." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

loomcache_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
