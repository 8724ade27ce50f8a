import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The root logger. Structured fields first, short lowercase message. Personal data (emails, IPs,
 * comment bodies) is only ever logged at debug, and these paths are redacted at every level.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { pid: process.pid, ...base },
    redact: {
      paths: ['authorEmail', 'email', 'ip', 'body', 'password', '*.authorEmail', '*.email', '*.ip', '*.body', '*.password', 'req.headers.cookie', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
