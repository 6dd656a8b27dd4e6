// Typed errors. The CLI maps BadInputError to exit code 2; everything else that escapes is a failure.
export class BadInputError extends Error {
  override readonly name = 'BadInputError';
  constructor(
    message: string,
    /** The field, file or endpoint the user has to fix. */
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
  }
}

export class StageFailedError extends Error {
  override readonly name = 'StageFailedError';
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(`${stage}: ${message}`);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
