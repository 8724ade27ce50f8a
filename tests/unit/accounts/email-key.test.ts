import { emailKey } from '../../../src/accounts/email-key';

describe('emailKey', () => {
  it('folds case and compatibility forms to one key', () => {
    expect(emailKey('  Admin@Example.ORG ')).toBe('admin@example.org');
    expect(emailKey('ａｄｍｉｎ@ｅｘａｍｐｌｅ.ｏｒｇ')).toBe('admin@example.org');
  });

  it('keeps U+0130 (İ) apart from a plain i, as Unicode lower-casing does in every process', () => {
    expect(emailKey('ADM\u0130N@EXAMPLE.ORG')).not.toBe(emailKey('admin@example.org'));
    expect(emailKey('ADM\u0130N@EXAMPLE.ORG')).toBe(emailKey('adm\u0130n@example.org'));
  });
});
