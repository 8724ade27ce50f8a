/**
 * Errors that reach clients. `code` is a stable snake_case id (part of the API), `status` the HTTP
 * status, `details` extra structured data (field errors, retry hints).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** One field's problem, in the reader's words. */
export interface FieldError {
  field: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(readonly fields: FieldError[], message = 'Some fields need attention.') {
    super(422, 'validation_failed', message, { fields });
  }
}

export class BadRequestError extends AppError {
  /** `fields`, when given, names each bad query parameter as ValidationError does for bodies. */
  constructor(code: string, message: string, fields?: FieldError[]) {
    super(400, code, message, fields ? { fields } : undefined);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(409, code, message, details);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number, message = 'You are posting comments too quickly. Slow down.') {
    super(429, 'rate_limited', message, { retryAfterSeconds });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(readonly retryAfterSeconds: number, code = 'queue_unavailable', message = 'Comments cannot be accepted right now. Please try again in a moment.') {
    super(503, code, message, { retryAfterSeconds });
  }
}
