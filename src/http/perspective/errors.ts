/**
 * Perspective's (Google APIs') error shape: `{ error: { code, message, status, details } }`, with the
 * HTTP status in `code`, a gRPC status name in `status`, and Perspective's own `errorType` in details.
 * Clients (Coral among them) read `error.message`; the shape is kept so theirs reads ours.
 */
export type GoogleStatus = 'INVALID_ARGUMENT' | 'PERMISSION_DENIED' | 'RESOURCE_EXHAUSTED' | 'UNAVAILABLE' | 'INTERNAL' | 'NOT_FOUND';

const HTTP_STATUS: Record<GoogleStatus, number> = {
  INVALID_ARGUMENT: 400,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export class PerspectiveError extends Error {
  readonly code: number;
  constructor(
    readonly status: GoogleStatus,
    message: string,
    /** Perspective's error type (COMMENT_EMPTY, LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE, …), when it has one. */
    readonly errorType?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = this.constructor.name;
    this.code = HTTP_STATUS[status];
  }
}

export const invalidArgument = (message: string, errorType?: string) => new PerspectiveError('INVALID_ARGUMENT', message, errorType);

/** The JSON body of an error answer. */
export function errorBody(err: PerspectiveError): object {
  return {
    error: {
      code: err.code,
      message: err.message,
      status: err.status,
      ...(err.errorType ? { details: [{ '@type': 'type.googleapis.com/google.commentanalyzer.v1alpha1.Error', errorType: err.errorType }] } : {}),
    },
  };
}
