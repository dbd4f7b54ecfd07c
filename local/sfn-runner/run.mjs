// Runs one execution of a state machine definition with aws-local-stepfunctions, under the rules AWS Step Functions
// (standard workflows) applies and that library does not: a state's input or output over 256 KiB fails the execution
// with States.DataLimitExceeded, which no Catch can catch; an execution's history holds at most 25,000 events; and a
// Map state in DISTRIBUTED mode reads its items from S3 (ItemReader), runs each (or each batch of them, ItemBatcher)
// as a child execution with a history of its own, and can write its results to S3 (ResultWriter). Task states
// invoke Lambda through the AWS SDK, which the Java runner points at its local Lambda with AWS_ENDPOINT_URL_LAMBDA;
// S3 is AWS_ENDPOINT_URL_S3.
// Prints the outcome as one JSON line on stdout: {status, output | error, cause, history_events, child_executions};
// before it, each retry wait as it begins, one JSON line {"retry_wait": {...}} (see Execution.chooseRetryWait).
// With historyFile, the root execution's history is appended to that file as AWS names its events, one JSON a line.
//   node run.mjs DEFINITION.json INPUT.json '{"executionName": "...", "retryIntervalOverrides": {...}, "historyFile": "..."}'
import { appendFileSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { JSONPath } from 'jsonpath-plus';

/** Step Functions' quotas: 256 KiB of UTF-8 per state input or output, 25,000 events per execution history. */
export const PAYLOAD_LIMIT = 256 * 1024;
export const HISTORY_LIMIT = 25000;
const REGION = process.env.AWS_REGION ?? 'us-east-1';
const ACCOUNT = '000000000000';
/** A Map Run of a distributed Map runs up to this many child executions at once when MaxConcurrency is 0. */
const DISTRIBUTED_DEFAULT_CONCURRENCY = 10000;
/** An express child workflow may run 5 minutes; its history is not kept, so it has no event quota. */
const EXPRESS_SECONDS = 300;

/** An error that fails the execution whatever its Retry and Catch say, as States.DataLimitExceeded and States.Runtime do. */
class TerminalError extends Error {
  constructor(name, cause) {
    super(cause);
    this.name = name;
  }
  get isRetryable() { return false; }
  get isCatchable() { return false; }
}

/** A task's failure as Step Functions names it: Catch sees {Error: name, Cause: cause}. */
class TaskError extends Error {
  constructor(name, cause) {
    super(cause);
    this.name = name;
  }
}

const lambda = new LambdaClient({
  region: REGION,
  endpoint: process.env.AWS_ENDPOINT_URL_LAMBDA,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  // Step Functions does not retry an Invoke itself: a failed call is the state's error, for its Retry to handle.
  maxAttempts: 1,
});
let s3;
function s3Client() {
  s3 ??= new S3Client({
    region: REGION,
    endpoint: process.env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3;
}

/** Inputs and outputs are JSON text in AWS's history. */
function json(value) {
  return value === undefined ? undefined : JSON.stringify(value);
}

function causeText(cause) {
  return typeof cause === 'string' ? cause : JSON.stringify(cause ?? null);
}

function lowerFirst(text) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function bytes(value) {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/** Calls the function as a Lambda Task state does and names its failure as Step Functions does. */
async function invokeLambda(resource, input) {
  let response;
  try {
    response = await lambda.send(new InvokeCommand({ FunctionName: resource, Payload: Buffer.from(JSON.stringify(input)) }));
  } catch (e) {
    // A service error (4xx/5xx from Lambda) keeps its name; anything else never reached the service.
    throw new TaskError(e.$fault ? `Lambda.${e.name}` : 'Lambda.SdkClientException', e.message ?? String(e));
  }
  const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
  if (response.FunctionError) {
    let errorType;
    try {
      errorType = JSON.parse(text).errorType;
    } catch {
      errorType = undefined;
    }
    // The Cause is the function's error payload, as Step Functions records it.
    throw new TaskError(errorType ?? 'Lambda.Unknown', text);
  }
  return text === '' ? null : JSON.parse(text);
}

/** A Parameters / ItemSelector / ItemReader.Parameters template: "key.$" fields are JSONPaths on the input or, "$$.", the context. */
function template(value, input, context) {
  if (Array.isArray(value)) {
    return value.map((v) => template(v, input, context));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.endsWith('.$')) {
      if (typeof v !== 'string' || !v.startsWith('$')) {
        throw new TaskError('States.Runtime', `the local runner supports only JSONPaths in '${key}', not ${JSON.stringify(v)}`);
      }
      const onContext = v.startsWith('$$');
      const found = JSONPath({ path: onContext ? v.slice(1) : v, json: onContext ? context : input, wrap: false });
      if (found === undefined) {
        throw new TaskError('States.Runtime', `The JSONPath '${v}' specified for the field '${key}' could not be found in the input`);
      }
      out[key.slice(0, -2)] = found;
    } else {
      out[key] = template(v, input, context);
    }
  }
  return out;
}

/** One execution (the root, or a child of a distributed Map): its own history count, quotas and outcome. */
class Execution {
  constructor({ definition, input, name, stateMachineName, express = false, overrides, historyFile, root }) {
    this.historyFile = historyFile;
    this.recorded = 0;
    this.name = name;
    /** The root execution's name: what a retry wait is announced under, whichever child waits. */
    this.root = root ?? name;
    this.stateMachineName = stateMachineName;
    this.arn = `arn:aws:states:${REGION}:${ACCOUNT}:${express ? 'express' : 'execution'}:${stateMachineName}:${name}`;
    this.input = input;
    this.express = express;
    /** --fast-retries' fixed waits; this execution's own copy also carries the wait chosen for each retry. */
    this.baseOverrides = overrides;
    this.overrides = { ...overrides };
    this.retries = {};
    this.attempts = {};
    this.events = 0;
    this.failure = null;
    this.children = { count: 0, failed: 0, maxEvents: 0 };
    this.running = new Set();
    this.kinds = {};
    this.handlers = {};
    this.definition = this.prepare(structuredClone(definition));
  }

  /**
   * Every Task state calls Lambda through a handler of ours (so its payloads are checked before and after the call,
   * and no call starts once the execution is stopping); every distributed Map becomes a Task whose handler runs its
   * Map Run. Inline Maps and Parallel branches share the execution, so their states are prepared in place.
   */
  prepare(machine) {
    for (const [name, state] of Object.entries(machine.States)) {
      this.retries[name] = state.Retry ?? [];
      if (state.Type === 'Task') {
        this.kinds[name] = 'Task';
        const resource = state.Resource;
        this.handlers[name] = (input) => this.task(name, resource, input);
      } else if (state.Type === 'Map' && (state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED')) {
        this.kinds[name] = 'DistributedMap';
        const map = { ...state };
        this.handlers[name] = (input) => this.mapRun(name, map, input);
        machine.States[name] = {
          Type: 'Task',
          Resource: `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:${name}`,
          // A Map Run has no time limit of its own beyond the execution's year; the library's default is 60 s.
          TimeoutSeconds: 2000000,
          ...Object.fromEntries(['Comment', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Retry', 'Catch',
            'Next', 'End'].filter((k) => k in state).map((k) => [k, state[k]])),
        };
      } else if (state.Type === 'Map') {
        this.kinds[name] = 'Map';
        this.prepare(state.ItemProcessor ?? state.Iterator);
      } else if (state.Type === 'Parallel') {
        this.kinds[name] = 'Parallel';
        state.Branches.forEach((branch) => this.prepare(branch));
      } else {
        this.kinds[name] = state.Type;
      }
    }
    return machine;
  }

  /** Stops the execution: it ends FAILED with this error, its children with it. */
  fail(error, cause) {
    if (this.failure) {
      return;
    }
    this.failure = { error, cause };
    this.run?.abort();
    this.running.forEach((child) => child.fail('States.Aborted', 'the parent execution stopped'));
  }

  /** Waits until the events logged so far are counted, then says whether work may still start. */
  async mayStart() {
    await new Promise((resolve) => setImmediate(resolve));
    return !this.failure;
  }

  /** A task's payload over the quota: the state fails, and with it the execution, whatever its Retry and Catch say. */
  checkPayload(stateName, what, value) {
    if (bytes(value) > PAYLOAD_LIMIT) {
      throw new TerminalError('States.DataLimitExceeded',
        `The state/task '${stateName}' ${what} with a size exceeding the maximum number of bytes service limit.`);
    }
  }

  async task(name, resource, input) {
    if (!(await this.mayStart())) {
      return new Promise(() => {});
    }
    this.checkPayload(name, 'has an input', input);
    let result;
    try {
      result = await invokeLambda(resource, input);
    } catch (e) {
      this.chooseRetryWait(name, e);
      throw e;
    }
    this.checkPayload(name, 'returned a result', result);
    return result;
  }

  /**
   * When the state's Retry will retry this error, chooses the wait as Step Functions does (IntervalSeconds times
   * BackoffRate to the number of earlier attempts, at most MaxDelaySeconds, with FULL jitter a random part of it; with
   * --fast-retries the fixed wait) and gives it to the library as this state's interval override, so the wait is
   * known while it lasts: announced on stdout for the progress line ("waiting 40 s for the Polygon rate limit").
   */
  chooseRetryWait(name, error) {
    const retriers = this.retries[name] ?? [];
    const index = retriers.findIndex((r) => r.ErrorEquals.some((e) => e === error.name || e === 'States.ALL'
      || e === 'States.TaskFailed'));
    if (index < 0 || error.isRetryable === false) {
      return;
    }
    const retrier = retriers[index];
    const maxAttempts = retrier.MaxAttempts ?? 3;
    const attempts = (this.attempts[name] ??= new Array(retriers.length).fill(0));
    if (attempts[index] >= maxAttempts) {
      return;
    }
    const fixed = this.baseOverrides?.[name];
    let millis;
    if (typeof fixed === 'number') {
      millis = fixed;
    } else {
      const seconds = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, attempts[index]);
      millis = Math.round(Math.min(seconds, retrier.MaxDelaySeconds ?? Infinity) * 1000);
      if ((retrier.JitterStrategy ?? 'NONE') === 'FULL') {
        millis = Math.floor(Math.random() * (millis + 1));
      }
    }
    attempts[index] += 1;
    const override = [];
    override[index] = millis;
    this.overrides[name] = override;
    process.stdout.write(JSON.stringify({ retry_wait: { execution: this.root, child: this.name, state: name,
      error: error.name, seconds: millis / 1000, attempt: attempts[index], max_attempts: maxAttempts,
      until: new Date(Date.now() + millis).toISOString() } }) + '\n');
  }

  /**
   * The events of AWS's history that one event of the library's log stands for, by state kind, as [type, details]:
   * what the history file records and what the quota counts.
   */
  historyEvents(event) {
    const kind = this.kinds[event.state?.name] ?? event.state?.type;
    const name = event.state?.name;
    const prefix = kind === 'DistributedMap' ? 'Map' : kind;
    const entered = [`${prefix}StateEntered`, { stateEnteredEventDetails: { name, input: json(event.state?.input) } }];
    const exited = [`${prefix}StateExited`, { stateExitedEventDetails: { name, output: json(event.state?.output) } }];
    const error = { error: event.Error, cause: causeText(event.Cause) };
    switch (event.type) {
      case 'ExecutionStarted':
        return [['ExecutionStarted', { executionStartedEventDetails: { input: json(event.input) } }]];
      case 'ExecutionSucceeded':
        return [['ExecutionSucceeded', { executionSucceededEventDetails: { output: json(event.output) } }]];
      case 'ExecutionFailed':
        return [['ExecutionFailed', { executionFailedEventDetails: error }]];
      case 'ExecutionTimeout':
        return [['ExecutionTimedOut', { executionTimedOutEventDetails: error }]];
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        return [[event.type, { [`${lowerFirst(event.type)}EventDetails`]: { name: event.parentState?.name, index: event.index } }]];
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return [[event.type, {}]];
      case 'StateCaught':
        // The Catch ends the state: it exits with the error as its output.
        return [exited];
      case 'StateEntered':
        return kind === 'Task' ? [entered, ['LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { input: json(event.state.input) } }], ['LambdaFunctionStarted', {}]]
          : kind === 'DistributedMap' ? [entered, ['MapStateStarted', {}], ['MapRunStarted', {}]]
            : kind === 'Map' || kind === 'Parallel' ? [entered, [`${kind}StateStarted`, {}]] : [entered];
      case 'StateExited':
        return kind === 'Task' ? [['LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: json(event.state.output) } }], exited]
          : kind === 'DistributedMap' ? [['MapRunSucceeded', {}], ['MapStateSucceeded', {}], exited]
            : kind === 'Map' || kind === 'Parallel' ? [[`${kind}StateSucceeded`, {}], exited] : [exited];
      case 'StateFailed':
        return kind === 'Task' ? [['LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: error }]]
          : kind === 'DistributedMap' ? [['MapRunFailed', { mapRunFailedEventDetails: error }], ['MapStateFailed', {}]]
            : kind === 'Map' || kind === 'Parallel' ? [[`${kind}StateFailed`, {}]] : [];
      case 'StateRetried':
        // A new attempt
        return kind === 'Task' ? [['LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { input: json(event.state.input) } }], ['LambdaFunctionStarted', {}]]
          : [['MapRunStarted', {}]];
      default:
        // ExecutionAborted: the failure that stopped the execution is counted when it is recorded.
        return [];
    }
  }

  /** Appends events to the history file, when this execution keeps one (the root does, as AWS keeps it). */
  record(events, timestamp = Date.now()) {
    if (!this.historyFile) {
      return;
    }
    const lines = events.map(([type, details]) => {
      this.recorded += 1;
      this.ended ||= type.startsWith('Execution') && type !== 'ExecutionStarted';
      return JSON.stringify({ timestamp: timestamp / 1000, type, id: this.recorded,
        previousEventId: this.recorded - 1, ...details });
    });
    if (lines.length > 0) {
      appendFileSync(this.historyFile, lines.join('\n') + '\n');
    }
  }

  onEvent(event) {
    if (this.failure) {
      return;
    }
    // A state entered anew counts its retries from zero, as the library does; a retry done leaves the library its own
    // intervals again until the next wait is chosen.
    if (event.type === 'StateEntered' && event.state?.name in this.attempts) {
      delete this.attempts[event.state.name];
    } else if (event.type === 'StateRetried' && event.state?.name) {
      this.overrides[event.state.name] = this.baseOverrides?.[event.state.name];
    }
    // A state whose input or output is over the quota never enters or exits: the execution fails there.
    const payload = event.type === 'StateEntered' ? ['has an input', event.state.input]
      : event.type === 'StateExited' ? ['returned a result', event.state.output] : null;
    if (payload && bytes(payload[1]) > PAYLOAD_LIMIT) {
      this.events += 1;
      this.fail('States.DataLimitExceeded',
        `The state/task '${event.state.name}' ${payload[0]} with a size exceeding the maximum number of bytes service limit.`);
      return;
    }
    const events = this.historyEvents(event);
    const weight = events.length;
    const limit = this.express ? Infinity : HISTORY_LIMIT;
    // The last event may be ExecutionSucceeded; any other event that would reach the quota fails the execution.
    if (this.events + weight >= limit && !(event.type === 'ExecutionSucceeded' && this.events + weight === limit)) {
      this.events = Math.min(this.events, limit - 1) + 1;
      this.fail('States.Runtime', `The execution reached the maximum number of history events (${HISTORY_LIMIT}).`);
      return;
    }
    this.events += weight;
    this.record(events, event.timestamp);
  }

  /** Runs the execution to its end; the definition as written was validated already (a child's, with its parent's). */
  async start() {
    const machine = new StateMachine(this.definition, {
      validationOptions: { noValidate: true },
      awsConfig: { region: REGION, credentials: { accessKeys: { accessKeyId: 'local', secretAccessKey: 'local' } } },
    });
    if (bytes(this.input) > PAYLOAD_LIMIT) {
      this.events = 1;
      return this.outcome(null, { error: 'States.DataLimitExceeded', cause: 'The execution input exceeds the maximum number of bytes service limit.' });
    }
    this.run = machine.run(this.input, {
      overrides: { retryIntervalOverrides: this.overrides ?? {}, taskResourceLocalHandlers: this.handlers },
      context: {
        Execution: { Id: this.arn, Name: this.name, Input: this.input, StartTime: new Date().toISOString() },
        StateMachine: { Id: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${this.stateMachineName}`, Name: this.stateMachineName },
      },
    });
    if (this.failure) {
      this.run.abort();
    }
    const counted = (async () => {
      for await (const event of this.run.eventLogs) {
        this.onEvent(event);
      }
    })();
    let timer;
    if (this.express) {
      timer = setTimeout(() => this.fail('States.Timeout', 'The express child execution ran past 5 minutes.'), EXPRESS_SECONDS * 1000);
    }
    let output = null;
    let error = null;
    try {
      output = await this.run.result;
    } catch (e) {
      const failure = e.cause ?? e;
      error = { error: failure.name ?? 'Error', cause: failure.message ?? String(failure) };
    } finally {
      clearTimeout(timer);
    }
    await counted;
    return this.outcome(output, this.failure ?? error);
  }

  outcome(output, error) {
    if (error && !this.ended) {
      // A failure of ours stopped the library's run (or it never started): its terminal event is not in the log.
      this.record([['ExecutionFailed', { executionFailedEventDetails: { error: error.error, cause: error.cause } }]]);
    }
    const base = {
      history_events: this.events,
      child_executions: { count: this.children.count, failed: this.children.failed,
        max_history_events: this.children.maxEvents },
    };
    return error ? { status: 'FAILED', ...error, ...base } : { status: 'SUCCEEDED', output, ...base };
  }

  /**
   * A distributed Map: reads its items (ItemReader: a JSON array in S3), starts one child execution per item (after
   * ItemSelector) or per batch of items (ItemBatcher) with MaxConcurrency at once, fails once more children failed
   * than it tolerates (by default none), and answers the children's outputs, or, with a ResultWriter, writes them to S3 and answers where.
   */
  async mapRun(name, state, input) {
    if (!(await this.mayStart())) {
      return new Promise(() => {});
    }
    const items = await readItems(state.ItemReader, input);
    const runId = randomUUID();
    const label = state.Label ?? name;
    const mapRunArn = `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:${this.stateMachineName}/${label}:${runId}`;
    const processor = { ...state.ItemProcessor };
    const express = processor.ProcessorConfig?.ExecutionType === 'EXPRESS';
    delete processor.ProcessorConfig;
    let concurrency = state.MaxConcurrency ?? 0;
    if (state.MaxConcurrencyPath) {
      concurrency = JSONPath({ path: state.MaxConcurrencyPath, json: input, wrap: false });
    }
    if (!Number.isInteger(concurrency) || concurrency < 0) {
      throw new TaskError('States.Runtime', `MaxConcurrency of '${name}' must be a whole number >= 0, not ${concurrency}`);
    }
    concurrency = concurrency === 0 ? DISTRIBUTED_DEFAULT_CONCURRENCY : concurrency;
    const toleratedCount = state.ToleratedFailureCount ?? Infinity;
    const toleratedPercent = state.ToleratedFailurePercentage ?? (state.ToleratedFailureCount === undefined ? 0 : 100);
    const inputs = childInputs(name, state, items, input);
    const results = new Array(inputs.length);
    let next = 0;
    let failed = 0;
    let stopped = null;
    const worker = async () => {
      while (next < inputs.length && !stopped && !this.failure) {
        const index = next++;
        const childInput = inputs[index];
        const child = new Execution({ definition: processor, input: childInput, name: `${runId}-${index}`,
          stateMachineName: `${this.stateMachineName}/${label}`, express, overrides: this.baseOverrides, root: this.root });
        this.running.add(child);
        const outcome = await child.start();
        this.running.delete(child);
        this.children.count += 1 + child.children.count;
        this.children.maxEvents = Math.max(this.children.maxEvents, outcome.history_events, child.children.maxEvents);
        results[index] = { child, outcome, input: childInput };
        if (outcome.status !== 'SUCCEEDED') {
          failed += 1;
          this.children.failed += 1;
          if (failed > toleratedCount || (failed * 100) / inputs.length > toleratedPercent) {
            stopped = outcome;
            this.running.forEach((c) => c.fail('States.Aborted', 'the Map Run failed'));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
    if (this.failure) {
      return new Promise(() => {});
    }
    if (stopped) {
      throw new TaskError('States.ExceedToleratedFailureThreshold',
        `The specified tolerated failure threshold was exceeded: ${failed} of ${inputs.length} child executions failed;`
          + ` the first one: ${stopped.error}: ${stopped.cause}`);
    }
    if (state.ResultWriter) {
      return writeResults(state.ResultWriter, input, mapRunArn, runId, results);
    }
    return results.map((r) => r.outcome.output);
  }
}

/**
 * Each child execution's input: an item after ItemSelector, or with an ItemBatcher {"Items": [...]} of consecutive
 * items (each after ItemSelector) and its BatchInput, at most MaxItemsPerBatch of them and at most
 * MaxInputBytesPerBatch (256 KiB when unset) of input; an item too large for a batch of its own fails the Map Run.
 */
function childInputs(name, state, items, input) {
  const selected = items.map((value, index) => (state.ItemSelector
    ? template(state.ItemSelector, input, { Map: { Item: { Index: index, Value: value } } }) : value));
  const batcher = state.ItemBatcher;
  if (!batcher) {
    return selected;
  }
  const limit = (field, fallback) => {
    const path = batcher[`${field}Path`];
    const value = path ? JSONPath({ path, json: input, wrap: false }) : (batcher[field] ?? fallback);
    if (!Number.isInteger(value) || value < 1) {
      throw new TaskError('States.Runtime', `${field} of '${name}' must be a whole number >= 1, not ${value}`);
    }
    return value;
  };
  const maxItems = limit('MaxItemsPerBatch', Number.MAX_SAFE_INTEGER);
  const maxBytes = Math.min(limit('MaxInputBytesPerBatch', PAYLOAD_LIMIT), PAYLOAD_LIMIT);
  const batchInput = batcher.BatchInput ? template(batcher.BatchInput, input, {}) : undefined;
  const batchOf = (list) => (batchInput === undefined ? { Items: list } : { BatchInput: batchInput, Items: list });
  // JSON of a batch: the empty batch's bytes, each item's, and a comma between two.
  const empty = bytes(batchOf([]));
  const batches = [];
  let current = [];
  let size = empty;
  for (const item of selected) {
    const itemBytes = bytes(item);
    if (current.length > 0 && (current.length >= maxItems || size + 1 + itemBytes > maxBytes)) {
      batches.push(batchOf(current));
      current = [];
      size = empty;
    }
    size += (current.length > 0 ? 1 : 0) + itemBytes;
    current.push(item);
    if (size > maxBytes) {
      throw new TaskError('States.ItemReaderFailed', `an item of '${name}' alone exceeds the batch's ${maxBytes} bytes`);
    }
  }
  if (current.length > 0) {
    batches.push(batchOf(current));
  }
  return batches;
}

async function readItems(reader, input) {
  if (!reader) {
    throw new TaskError('States.Runtime', 'the local runner runs a distributed Map only with an ItemReader');
  }
  if (reader.Resource !== 'arn:aws:states:::s3:getObject' || (reader.ReaderConfig?.InputType ?? 'JSON') !== 'JSON') {
    throw new TaskError('States.Runtime', `the local runner reads items only from a JSON array in S3 (s3:getObject, InputType JSON), not ${JSON.stringify(reader)}`);
  }
  const { Bucket, Key } = template(reader.Parameters ?? {}, input, {});
  let items;
  try {
    const object = await s3Client().send(new GetObjectCommand({ Bucket, Key }));
    items = JSON.parse(await object.Body.transformToString('utf8'));
  } catch (e) {
    throw new TaskError('States.ItemReaderFailed', `reading s3://${Bucket}/${Key}: ${e.message ?? e}`);
  }
  if (!Array.isArray(items)) {
    throw new TaskError('States.ItemReaderFailed', `s3://${Bucket}/${Key} is not a JSON array`);
  }
  const max = reader.ReaderConfig?.MaxItems;
  return max ? items.slice(0, max) : items;
}

/** ResultWriter: SUCCEEDED_0.json and FAILED_0.json and a manifest under {Prefix}/{map run id}/, as AWS writes them. */
async function writeResults(writer, input, mapRunArn, runId, results) {
  const { Bucket, Prefix } = template(writer.Parameters ?? {}, input, {});
  const base = `${Prefix ? Prefix.replace(/\/$/, '') + '/' : ''}${runId}/`;
  const entry = ({ child, outcome, input: childInput }) => ({
    ExecutionArn: child.arn,
    Name: child.name,
    Input: JSON.stringify(childInput),
    Status: outcome.status,
    ...(outcome.status === 'SUCCEEDED' ? { Output: JSON.stringify(outcome.output) } : { Error: outcome.error, Cause: outcome.cause }),
  });
  const files = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  for (const status of ['SUCCEEDED', 'FAILED']) {
    const entries = results.filter((r) => (r.outcome.status === 'SUCCEEDED') === (status === 'SUCCEEDED')).map(entry);
    if (entries.length > 0) {
      const Key = `${base}${status}_0.json`;
      const body = JSON.stringify(entries);
      await putObject(Bucket, Key, body);
      files[status].push({ Key, Size: Buffer.byteLength(body) });
    }
  }
  const manifest = `${base}manifest.json`;
  await putObject(Bucket, manifest, JSON.stringify({ DestinationBucket: Bucket, MapRunArn: mapRunArn, ResultFiles: files }));
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket, Key: manifest } };
}

async function putObject(Bucket, Key, body) {
  try {
    await s3Client().send(new PutObjectCommand({ Bucket, Key, Body: body, ContentType: 'application/json' }));
  } catch (e) {
    throw new TaskError('States.ResultWriterFailed', `writing s3://${Bucket}/${Key}: ${e.message ?? e}`);
  }
}

const [definitionFile, inputFile, optionsJson] = process.argv.slice(2);
const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const options = JSON.parse(optionsJson ?? '{}');

// The Java runner holds our stdin open; when it dies (even by SIGKILL) the pipe closes and so do we.
process.stdin.on('end', () => process.exit(137));
process.stdin.on('error', () => process.exit(137));
process.stdin.resume();

// The definition as written must be valid ASL (this throws, naming the problems, if it is not); it then runs with
// the library's validation off, since its distributed Maps have become our Tasks.
new StateMachine(definition);
const root = new Execution({ definition, input, name: options.executionName,
  stateMachineName: options.stateMachineName ?? 'pricelake-backfill', overrides: options.retryIntervalOverrides ?? {},
  historyFile: options.historyFile });
const outcome = await root.start();
process.stdout.write(JSON.stringify(outcome) + '\n', () => process.exit(0));
