// Errors a user can act on. Front ends print `message` on one line (no stack) and exit non-zero.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A checkpoint that is missing, truncated, corrupt or of another format version. */
export class CheckpointError extends UserError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'CheckpointError';
  }
}
