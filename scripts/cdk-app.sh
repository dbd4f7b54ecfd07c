#!/usr/bin/env bash
# The CDK app as cdk.json runs it (and `./pricelake synth`): finds a JDK >= 21 the way ./pricelake does,
# since the machine's default java may be older, and builds the cdk module with the function catalog it
# reads (functions/functions.json) from the same reactor. Synthesizes into cdk/cdk.out unless the cdk CLI
# says where (CDK_OUTDIR).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/toolchain.sh
source "$ROOT/scripts/toolchain.sh"
pricelake_toolchain >&2
# jsii runs the CDK's JavaScript on Node: the project's own Node 22 when installed, else any node on PATH.
PATH="$ROOT/local/sfn-runner/node_modules/.bin:$PATH"
cd "$ROOT/cdk"
exec mvn -B -q --no-transfer-progress -f "$ROOT/pom.xml" -pl cdk -am compile exec:java -Dexec.mainClass=dev.pricelake.cdk.PricelakeApp "$@"
