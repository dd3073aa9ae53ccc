// A preview asked for something the source does not have: a request problem
// (422), not a failure of the source.
export class PreviewRequestError extends Error {
  constructor(
    readonly code: 'UNKNOWN_TABLE' | 'UNKNOWN_COLUMN',
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'PreviewRequestError';
  }
}
