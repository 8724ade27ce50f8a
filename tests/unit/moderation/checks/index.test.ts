import { ALL_CHECKS, STATELESS_CHECKS } from '../../../../src/moderation/checks';

describe('checks/index', () => {
  it('lists every check once, with unique snake_case names', () => {
    const names = ALL_CHECKS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(names).toEqual(expect.arrayContaining(['honeypot', 'form_token', 'links', 'moderation_keys', 'disallowed_keys', 'duplicate', 'campaign', 'author_history', 'disposable_email', 'content_signals', 'engagement_bait', 'akismet_test', 'classifier']));
  });

  it('STATELESS_CHECKS leaves out the checks that read stored history', () => {
    const names = STATELESS_CHECKS.map((c) => c.name);
    expect(names).not.toEqual(expect.arrayContaining(['reply']));
    for (const name of ['reply', 'duplicate', 'campaign', 'author_history']) expect(names).not.toContain(name);
    expect(names).toContain('classifier');
    expect(names).toContain('required_fields');
  });
});
