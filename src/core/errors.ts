import { IConstruct } from 'constructs';
import { hookPassIndex, passMemo } from './app-index';

/**
 * The parts of a synth-time error. Every error the library raises carries all five, so the message says
 * what is wrong, the value received, what was expected, how to fix it, and where (the construct path).
 */
export interface LgtmErrorDetails {
  /** What is wrong, in a short sentence naming the prop, e.g. "'retention' is shorter than the index period". */
  readonly problem: string;
  /** The offending value, rendered for humans. */
  readonly received: string;
  /** What a valid value looks like. */
  readonly expected: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Error raised at synth time for input that makes no sense.
 *
 * The message has the shape
 * `[construct/path] problem. Received: ...; expected: .... Fix: ...`.
 */
export class LgtmValidationError extends Error {
  /** The construct path the error belongs to. */
  public readonly constructPath: string;
  /** The details the message was built from. */
  public readonly details: LgtmErrorDetails;

  constructor(scope: IConstruct, details: LgtmErrorDetails) {
    const path = scope.node.path || '<root>';
    super(formatLgtmError(path, details));
    this.name = 'LgtmValidationError';
    this.constructPath = path;
    this.details = details;
  }
}

/** Formats an error message from its parts (shared by thrown errors and `node.addValidation`). */
export function formatLgtmError(path: string, d: LgtmErrorDetails): string {
  return `[${path}] ${formatDetails(d)}`;
}

/** The message without the path (cdk8s prefixes validation messages with the path itself). */
function formatDetails(d: LgtmErrorDetails): string {
  const problem = d.problem.replace(/\.$/, '');
  return `${problem}. Received: ${d.received}; expected: ${d.expected}. Fix: ${d.fix}`;
}

/** Throws a {@link LgtmValidationError}. */
export function fail(scope: IConstruct, details: LgtmErrorDetails): never {
  throw new LgtmValidationError(scope, details);
}

/**
 * Registers a validation that runs at `app.synth()` (before any file is written), for checks that need
 * the whole app (cross-construct wiring). cdk8s reports every failure at once, each with its path.
 */
export function addLgtmValidation(scope: IConstruct, check: () => LgtmErrorDetails[]): void {
  // the validation that starts each pass comes first on the root (it decides whether the answers of
  // the pass before still hold): register it before any check of the library
  hookPassIndex(scope.node.root);
  scope.node.addValidation({
    // cdk8s reports each message as `[construct/path] message`; the answer is kept for the later passes
    // of the same synth over the same tree (see `AppIndex`)
    validate: () => passMemo(scope, check, () => check().map(formatDetails)),
  });
}

/** Renders a value for the `received` part of an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
