# Finds (or, as root on Debian/Ubuntu, installs) what the build needs: a JDK >= 21 and Maven.
# Sourced by ./pricelake; sets JAVA_HOME and PATH. Prints a clear message and exits when it cannot.

PRICELAKE_MIN_JAVA=21

# Major version of the JDK at $1, or nothing when $1 is not a JDK with javac.
_jdk_major() {
  local home=$1 version
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "${version:-}" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  fi
  echo "${version:-}"
}

_find_jdk() {
  local candidate major best="" best_major=0
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/*jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  # JAVA_HOME wins when it is new enough; otherwise the newest JDK found.
  for candidate in "${candidates[@]}"; do
    major=$(_jdk_major "$candidate")
    [ -n "$major" ] && [ "$major" -ge "$PRICELAKE_MIN_JAVA" ] || continue
    if [ "$candidate" = "${JAVA_HOME:-}" ]; then best=$candidate; break; fi
    if [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  echo "$best"
}

_can_apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1
}

_apt_install() {
  echo "pricelake: installing $* with apt-get" >&2
  if [ -z "${_PRICELAKE_APT_UPDATED:-}" ]; then
    apt-get update -qq >&2 || true
    _PRICELAKE_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# A command, installed from its Debian package when missing and possible; else a clear message and exit.
_require_command() {
  local command=$1 package=$2 message=$3
  if ! command -v "$command" >/dev/null 2>&1 && _can_apt_install; then
    _apt_install "$package"
  fi
  if ! command -v "$command" >/dev/null 2>&1; then
    echo "pricelake: $message" >&2
    exit 1
  fi
}

pricelake_toolchain() {
  local jdk
  jdk=$(_find_jdk)
  if [ -z "$jdk" ] && _can_apt_install; then
    local package
    for package in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if apt-cache show "$package" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-cache show "$package" >/dev/null 2>&1; }; then
        _apt_install "$package" && break
      fi
    done
    jdk=$(_find_jdk)
  fi
  if [ -z "$jdk" ]; then
    cat >&2 <<MSG
pricelake: no JDK $PRICELAKE_MIN_JAVA or newer found.
  Looked at \$JAVA_HOME, the javac on PATH, /usr/lib/jvm, /opt and ~/.sdkman.
  Install one (for example Temurin 21 or 25, or 'apt-get install openjdk-21-jdk-headless')
  or point JAVA_HOME at it, then run this again.
MSG
    exit 1
  fi
  export JAVA_HOME=$jdk
  export PATH="$JAVA_HOME/bin:$PATH"
  if ! command -v npm >/dev/null 2>&1; then
    if _can_apt_install; then
      _apt_install npm
    fi
    if ! command -v npm >/dev/null 2>&1; then
      echo "pricelake: npm is not installed; install Node.js with npm (any version: the project installs its own Node 22)." >&2
      exit 1
    fi
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    if _can_apt_install; then
      _apt_install maven
    fi
    if ! command -v mvn >/dev/null 2>&1; then
      echo "pricelake: Maven (mvn) is not installed; install Maven 3.8 or newer and run this again." >&2
      exit 1
    fi
  fi
}

# cfn-lint checks the synthesized CloudFormation template in the test suite (cdk/src/test). When it is missing,
# it is installed with pip into a virtual environment of its own (Debian's Python refuses --user installs), and
# named plainly when even that is not possible, since that test fails without it.
pricelake_cfn_lint() {
  local venv="${XDG_CACHE_HOME:-$HOME/.cache}/pricelake/cfn-lint"
  [ -x "$venv/bin/cfn-lint" ] && export PATH="$venv/bin:$PATH"
  command -v cfn-lint >/dev/null 2>&1 && return 0
  if command -v python3 >/dev/null 2>&1; then
    echo "pricelake: installing cfn-lint with pip into $venv (it checks the CloudFormation template in the tests) ..." >&2
    if python3 -m venv "$venv" >&2 && "$venv/bin/pip" install --quiet cfn-lint >&2; then
      export PATH="$venv/bin:$PATH"
    fi
  fi
  if ! command -v cfn-lint >/dev/null 2>&1; then
    echo "pricelake: cfn-lint is not installed and pip could not install it; install it (python3 -m pip install cfn-lint)" \
      "or the CDK template test will fail." >&2
  fi
}

# The console's browser tests drive Debian's chromium with playwright-core (never a browser download): as root on
# Debian, install it with apt when missing; elsewhere, say how.
pricelake_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "pricelake: installing chromium with apt (the web console's browser tests use it) ..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >&2 || true
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    echo "pricelake: chromium is not installed (apt-get install chromium); the web console's browser tests will fail." >&2
  fi
}
