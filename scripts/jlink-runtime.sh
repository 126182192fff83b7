#!/usr/bin/env bash
# Makes a self-contained runtime for machines without a JDK (GPU boxes): a jlink'ed JDK 22+ image with
# the modules ndopt and its dependencies use, plus the CLI jar (target/ndopt-cli.jar) and a launcher, in OUT_DIR.
# usage: scripts/jlink-runtime.sh OUT_DIR [JDK_HOME]   (default JDK: /usr/lib/jvm/temurin-25-jdk-amd64)
# then:  OUT_DIR/bin/ndopt info        (runs java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar)
# Build the CLI jar on JDK 22+ first (mvn -B -q -DskipTests package), or with a JDK 22+ javac present, so it
# contains the CUDA engine.
set -euo pipefail
out=${1:?usage: jlink-runtime.sh OUT_DIR [JDK_HOME]}; jdk=${2:-/usr/lib/jvm/temurin-25-jdk-amd64}
here=$(cd "$(dirname "$0")/.." && pwd); jar="$here/target/ndopt-cli.jar"
[ -f "$jar" ] || { echo "jlink-runtime.sh: no $jar (run mvn -B -q -DskipTests package on JDK 22+)" >&2; exit 2; }
[ -x "$jdk/bin/jlink" ] || { echo "jlink-runtime.sh: no jlink in $jdk (pass a JDK 22+ home)" >&2; exit 2; }
feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${feature%%.*}" -ge 22 ] || { echo "jlink-runtime.sh: $jdk is JDK $feature; the CUDA engine needs 22+" >&2; exit 2; }
mods=java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.incubator.vector,java.scripting,jdk.management,java.compiler
rm -rf "$out"
"$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --output "$out" 2>/dev/null
cp "$jar" "$out/lib/ndopt-cli.jar"
cat > "$out/bin/ndopt" <<'LAUNCH'
#!/usr/bin/env bash
home=$(cd "$(dirname "$0")/.." && pwd)
exec "$home/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar "$home/lib/ndopt-cli.jar" "$@"
LAUNCH
chmod +x "$out/bin/ndopt"
du -sh "$out"
