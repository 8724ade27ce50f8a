import { isDataError, isTransientDbError } from '../../../src/db/pool';
import { fromFormFields } from '../../../src/moderation/comment-schema';

describe('database error classes', () => {
  it('treats connection failures and shutdowns as transient, to be retried', () => {
    expect(isTransientDbError({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isTransientDbError({ code: '57P01' })).toBe(true);
    expect(isTransientDbError({ code: '08006' })).toBe(true);
    expect(isTransientDbError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDbError({ code: '22P02' })).toBe(false);
  });

  it('treats data exceptions as permanent, so the job fails at once', () => {
    expect(isDataError({ code: '22P02' })).toBe(true);
    expect(isDataError({ code: '22021' })).toBe(true);
    expect(isDataError({ code: '23505' })).toBe(false);
    expect(isDataError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isDataError(null)).toBe(false);
  });
});

describe('fromFormFields', () => {
  it('maps WordPress names and ignores inherited property names', () => {
    const form = Object.assign(Object.create(null), { comment: 'hi', author: 'Ann', constructor: 'x', toString: 'y' });
    const out = fromFormFields(form);
    expect(out).toMatchObject({ body: 'hi', authorName: 'Ann', constructor: 'x', toString: 'y' });
    expect(Object.keys(out).sort()).toEqual(['authorName', 'body', 'constructor', 'toString']);
  });
});
