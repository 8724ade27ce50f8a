import { maskUrl } from '../../../src/db/connection-check';

describe('maskUrl', () => {
  it('hides the password and keeps the rest of the URL', () => {
    expect(maskUrl('postgres://app:s3cr%40t@db.example:5432/comments')).toBe('postgres://app:****@db.example:5432/comments');
    expect(maskUrl('redis://:pw@127.0.0.1:6379')).toBe('redis://:****@127.0.0.1:6379');
    expect(maskUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(maskUrl('not a url')).toBe('(not a valid URL)');
  });
});
