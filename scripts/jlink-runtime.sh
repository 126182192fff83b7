#!/usr/bin/env bash
# Makes a self-contained runtime for machines without a JDK (GPU boxes): a jlink'ed JDK 22+ image with
# the modules ndopt and its dependencies use, plus the CLI jar (target/ndopt-cli.jar) and a launcher, in OUT_DIR.
# usage: scripts/jlink-runtime.sh OUT_DIR [JDK_HOME] [--split SIZE]
#   JDK_HOME  a JDK 22+ (default: $JAVA_HOME when it is 22+, else /usr/lib/jvm/temurin-25-jdk-amd64)
#   --split SIZE  also pack OUT_DIR into OUT_DIR.parts/: parts of at most SIZE (split's sizes: 60M, 500K, 1G),
#             SHA256SUMS and unpack.sh, for copies that limit a file's size. On the other machine, with the parts
#             in one folder: bash unpack.sh [DEST]  (checks the sums, reassembles, unpacks DEST/NAME; default DEST:
#             the parts' folder) and then DEST/NAME/bin/ndopt info.
# then:  OUT_DIR/bin/ndopt info        (runs java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar)
# Build the CLI jar on JDK 22+ first (JAVA_HOME=<JDK 22+> mvn -B -q -DskipTests package), so it contains the CUDA engine.
set -euo pipefail
usage="usage: jlink-runtime.sh OUT_DIR [JDK_HOME] [--split SIZE]"
out=; jdk=; split=
while [ $# -gt 0 ]; do
  case "$1" in
    --split) split=${2:?$usage}; shift 2 ;;
    --split=*) split=${1#--split=}; shift ;;
    -*) echo "jlink-runtime.sh: unknown option $1; $usage" >&2; exit 2 ;;
    *) if [ -z "$out" ]; then out=$1; elif [ -z "$jdk" ]; then jdk=$1; else echo "$usage" >&2; exit 2; fi; shift ;;
  esac
done
[ -n "$out" ] || { echo "$usage" >&2; exit 2; }
if [ -z "$jdk" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jlink" ]; then jdk=$JAVA_HOME; else jdk=/usr/lib/jvm/temurin-25-jdk-amd64; fi
fi
if [ -n "$split" ] && ! [[ "$split" =~ ^[0-9]+[KMG]?$ ]]; then
  echo "jlink-runtime.sh: --split $split is not a size like 60M, 500K or 1G" >&2; exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd); jar="$here/target/ndopt-cli.jar"
[ -f "$jar" ] || { echo "jlink-runtime.sh: no $jar (run mvn -B -q -DskipTests package on JDK 22+)" >&2; exit 2; }
[ -x "$jdk/bin/jlink" ] || { echo "jlink-runtime.sh: no jlink in $jdk (pass a JDK 22+ home)" >&2; exit 2; }
feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${feature%%.*}" -ge 22 ] || { echo "jlink-runtime.sh: $jdk is JDK $feature; the CUDA engine needs 22+" >&2; exit 2; }
"$jdk/bin/jar" tf "$jar" | grep -q '^io/ndopt/internal/cuda/CudaEngine.class$' \
  || { echo "jlink-runtime.sh: $jar has no CUDA engine (build it with a JDK 22+)" >&2; exit 2; }
if [ -e "$out" ] && [ ! -f "$out/bin/ndopt" ]; then
  echo "jlink-runtime.sh: $out exists and is not a runtime this script made; choose another OUT_DIR" >&2; exit 2
fi
mods=java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.incubator.vector,java.scripting,jdk.management,java.compiler
tmp="$out.tmp.$$"; rm -rf "$tmp"; trap 'rm -rf "$tmp" "$out.parts.tmp.$$"' EXIT
"$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --output "$tmp" 2>/dev/null
cp "$jar" "$tmp/lib/ndopt-cli.jar"
cat > "$tmp/bin/ndopt" <<'LAUNCH'
#!/usr/bin/env bash
home=$(cd "$(dirname "$0")/.." && pwd)
exec "$home/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar "$home/lib/ndopt-cli.jar" "$@"
LAUNCH
chmod +x "$tmp/bin/ndopt"
rm -rf "$out"; mv "$tmp" "$out"
du -sh "$out"
[ -n "$split" ] || exit 0

# ---- parts: NAME.tar.gz split into NAME.tar.gz.part-000, -001, ..., their sums, and the script that unpacks them
name=$(basename "$out"); parts="$out.parts"; ptmp="$out.parts.tmp.$$"
if [ -e "$parts" ] && [ ! -f "$parts/unpack.sh" ]; then
  echo "jlink-runtime.sh: $parts exists and holds no parts this script made; move it away" >&2; exit 2
fi
mkdir -p "$ptmp"
tar -C "$(dirname "$out")" -czf - "$name" | split -b "$split" -d -a 3 - "$ptmp/$name.tar.gz.part-"
(cd "$ptmp" && sha256sum "$name".tar.gz.part-* > SHA256SUMS)
cat > "$ptmp/unpack.sh" <<UNPACK
#!/usr/bin/env bash
# Reassembles the ndopt runtime '$name' from the parts in this folder and unpacks it: bash unpack.sh [DEST]
# (default DEST: this folder). Checks every part against SHA256SUMS first. Then: DEST/$name/bin/ndopt info
set -euo pipefail
here=\$(cd "\$(dirname "\$0")" && pwd); dest=\${1:-\$here}
(cd "\$here" && sha256sum -c --quiet SHA256SUMS) || { echo "unpack.sh: a part is missing or damaged" >&2; exit 1; }
[ ! -e "\$dest/$name" ] || { echo "unpack.sh: \$dest/$name exists; remove it or pass another DEST" >&2; exit 1; }
mkdir -p "\$dest"
cat "\$here"/$name.tar.gz.part-* | tar -C "\$dest" -xzf -
echo "\$dest/$name/bin/ndopt"
UNPACK
chmod +x "$ptmp/unpack.sh"
rm -rf "$parts"; mv "$ptmp" "$parts"
ls -l "$parts"
