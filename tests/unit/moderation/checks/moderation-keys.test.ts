import { moderationKeysCheck } from '../../../../src/moderation/checks/word-lists';
import { compiledFor } from '../../../../src/moderation/word-list';
import { checkContext } from '../../../helpers/check-context';

describe('moderationKeysCheck', () => {
  it('passes a comment without listed words', async () => {
    const r = await moderationKeysCheck.run(checkContext({ settings: { moderationKeys: [{ pattern: 'lawsuit', kind: 'word' }] } }));
    expect(r).toMatchObject({ check: 'moderation_keys', verdict: 'pass', score: 0, reasons: [] });
  });

  it('returns review, naming the entry and the field, when a listed word appears', async () => {
    const r = await moderationKeysCheck.run(
      checkContext({ comment: { body: 'See you in court: LAWSUIT incoming.' }, settings: { moderationKeys: [{ pattern: 'lawsuit', kind: 'word' }] } }),
    );
    expect(r.verdict).toBe('review');
    expect(r.reasons).toEqual([{ code: 'moderation_key', message: 'Contains "lawsuit" from the moderation list (in body).', field: 'body', match: 'lawsuit' }]);
  });

  it('compiles a settings object once and reuses it', () => {
    const settings = checkContext({ settings: { moderationKeys: [{ pattern: 'a', kind: 'word' }] } }).settings;
    const first = compiledFor(settings, 'moderationKeys', settings.moderationKeys);
    expect(compiledFor(settings, 'moderationKeys', settings.moderationKeys)).toBe(first);
    expect(compiledFor({ ...settings }, 'moderationKeys', settings.moderationKeys)).not.toBe(first);
  });
});
