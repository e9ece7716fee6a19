# Sourced by ./bitnet and .ci/run: sets JAVA_HOME to a JDK >= 25 or exits with a clear message.
# Order: $JAVA_HOME, then the standard JVM folders (newest first), then `java` on the PATH.

bitnet_java_feature() { # prints the feature release (e.g. 25) of the java binary $1, or nothing
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

bitnet_find_jdk() {
    local need=25 candidates=() seen="" c v
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    for c in $(ls -d /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* 2>/dev/null | sort -rV); do
        candidates+=("$c")
    done
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for c in "${candidates[@]}"; do
        [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
        v=$(bitnet_java_feature "$c/bin/java")
        seen="$seen ${c}(java ${v:-?})"
        if [ -n "$v" ] && [ "$v" -ge "$need" ]; then
            export JAVA_HOME="$c"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    echo "error: bitnet needs a JDK >= $need (for the Vector API's BIT_COUNT and the final FFM API)." >&2
    echo "       Looked at:${seen:- nothing (no JAVA_HOME, no /usr/lib/jvm, no java on PATH)}" >&2
    echo "       Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    exit 1
}
