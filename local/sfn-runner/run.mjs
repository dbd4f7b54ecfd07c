// Runs one execution of a state machine definition with aws-local-stepfunctions and prints its outcome as
// one JSON line on stdout. Task states invoke Lambda functions through the AWS SDK, which the Java runner
// points at its local Lambda endpoint with AWS_ENDPOINT_URL_LAMBDA.
//   node run.mjs DEFINITION.json INPUT.json '{"executionName": "...", "retryIntervalOverrides": {...}}'
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, inputFile, optionsJson] = process.argv.slice(2);
const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const options = JSON.parse(optionsJson ?? '{}');

// The Java runner holds our stdin open; when it dies (even by SIGKILL) the pipe closes and so do we.
process.stdin.on('end', () => process.exit(137));
process.stdin.on('error', () => process.exit(137));
process.stdin.resume();

const stateMachine = new StateMachine(definition, {
  awsConfig: {
    region: 'us-east-1',
    credentials: { accessKeys: { accessKeyId: 'local', secretAccessKey: 'local' } },
  },
});

const startTime = new Date().toISOString();
const execution = stateMachine.run(input, {
  overrides: { retryIntervalOverrides: options.retryIntervalOverrides ?? {} },
  context: {
    Execution: {
      Id: `arn:aws:states:us-east-1:000000000000:execution:pricelake-backfill:${options.executionName}`,
      Name: options.executionName,
      Input: input,
      StartTime: startTime,
    },
    StateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:pricelake-backfill', Name: 'pricelake-backfill' },
  },
});

let outcome;
try {
  outcome = { status: 'SUCCEEDED', output: await execution.result };
} catch (e) {
  const failure = e.cause ?? e;
  outcome = { status: 'FAILED', error: failure.name ?? 'Error', cause: failure.message ?? String(failure) };
}
process.stdout.write(JSON.stringify(outcome) + '\n', () => process.exit(0));
