# Sourced by scripts/loadgen and scripts/loadgen-compare: sets jar to loadgen/target/loomcache-loadgen.jar, building
# it first when missing or stale (any source or pom of loadgen or of the modules it depends on newer than the jar).
# Needs root set.
jar="$root/loadgen/target/loomcache-loadgen.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/loadgen" "$root/protocol" "$root/offheap-store" \
    \( -path '*/target' -prune \) -o \( -newer "$jar" \( -name '*.java' -o -name 'pom.xml' \) -print \) \
    2>/dev/null | head -n 1)" ]; then
  "$root/scripts/mvnw" -q -B --no-transfer-progress -DskipTests -Dcheckstyle.skip -pl loadgen -am package >&2
fi
