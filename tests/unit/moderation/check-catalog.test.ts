import { CHECK_CATALOG } from '../../../src/moderation/check-catalog';
import { ALL_CHECKS } from '../../../src/moderation/checks';
import { mergeSettings, settingsSchema } from '../../../src/moderation/settings';

describe('the check catalog on the settings page', () => {
  it('lists every check of the pipeline, in its order, each with a description', () => {
    expect(CHECK_CATALOG.map((c) => c.name)).toEqual(ALL_CHECKS.map((c) => c.name));
    for (const c of CHECK_CATALOG) expect(c.description.length).toBeGreaterThan(20);
  });
});

describe('settings validation', () => {
  const issues = (input: unknown) => {
    const r = settingsSchema.partial().safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  };

  it('refuses a misspelt check name, naming it and the real ones', () => {
    const found = issues({ checkModes: { classifer: 'observe' } });
    expect(found).toEqual([{ field: 'checkModes.classifer', message: expect.stringContaining('There is no check named “classifer”') }]);
    expect(found[0].message).toContain('classifier');
  });

  it('accepts enforce, observe and off; refuses other modes and relaxing required_fields', () => {
    expect(issues({ checkModes: { classifier: 'off', links: 'observe', honeypot: 'enforce' } })).toEqual([]);
    expect(issues({ checkModes: { links: 'watch' } })).toEqual([{ field: 'checkModes.links', message: 'Must be enforce, observe or off.' }]);
    expect(issues({ checkModes: { required_fields: 'off' } })).toEqual([{ field: 'checkModes.required_fields', message: 'required_fields can only be enforce.' }]);
  });

  it('names each bad field with a message a person can act on', () => {
    expect(issues({ spamThreshold: null, formTokenMaxAgeSeconds: 10, hourlyLimitPerIp: 1.5 })).toEqual([
      { field: 'spamThreshold', message: 'Must be a number.' },
      { field: 'formTokenMaxAgeSeconds', message: 'Must be at least 1 minute.' },
      { field: 'hourlyLimitPerIp', message: 'Must be a whole number.' },
    ]);
  });

  it('loading stored settings keeps the valid check modes and drops a stale one', () => {
    expect(mergeSettings({ checkModes: { classifier: 'observe', classifer: 'observe' } }).checkModes).toEqual({ classifier: 'observe' });
  });
});
