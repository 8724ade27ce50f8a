import { randomUUID } from 'node:crypto';
import { saveSettings } from '../../../src/moderation/settings-store';
import { AWAITING_MODERATION } from '../../../src/http/readers/submitter-view';
import { DUPLICATE_MESSAGE } from '../../../src/moderation/checks/duplicate';
import type { CheckResult } from '../../../src/moderation/types';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';

/** The rule-based spam checks end to end: API → queue → worker (checks, decide) → Postgres. */
describe('spam checks through the API', () => {
  let h: Harness;
  beforeAll(async () => {
    // SETTINGS_REFRESH_MS=0: a setting saved in the table reaches the worker at the next comment.
    h = await startHarness({ env: { SETTINGS_REFRESH_MS: '0' } });
  });
  afterAll(async () => {
    await h.pool.query(`DELETE FROM settings WHERE key = 'disallowedKeys' AND updated_by = 'spam-checks-test'`);
    await h.close();
  });

  const post = async (body: unknown) => {
    const res = await fetch(`${h.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    return (await res.json()).id as string;
  };
  const stored = (id: string) =>
    eventually(async () => {
      const { rows } = await h.pool.query<{ status: string; reasons: CheckResult[]; body_hash: Buffer | null; body_minhash: number[] | null; body_lsh: number[] | null }>(
        'SELECT status, reasons, body_hash, body_minhash, body_lsh FROM comments WHERE id = $1',
        [id],
      );
      return rows[0];
    });
  const verdict = (row: { reasons: CheckResult[] }, check: string) => row.reasons.find((v) => v.check === check);

  it('stores a spammy comment as spam with its reasons, while its submitter sees "awaiting moderation"', async () => {
    const id = await post(
      sampleComment(`art-${randomUUID()}`, {
        authorEmail: 'bot@mailinator.com',
        honeypot: 'http://pills.example',
        body: 'Great post!!!!!!!!!!!! [url=http://pills.example]cheap pills[/url] www.pills.example',
      }),
    );
    const row = await stored(id);
    expect(row.status).toBe('spam');
    const codes = row.reasons.flatMap((v) => v.reasons.map((r) => r.code));
    expect(codes).toEqual(expect.arrayContaining(['honeypot_filled', 'bbcode_link', 'too_many_links', 'disposable_email', 'repeated_characters']));
    expect(verdict(row, 'honeypot')).toMatchObject({ verdict: 'spam', mode: 'enforce' });

    const status = await (await fetch(`${h.baseUrl}/api/comments/${id}`)).json();
    expect(status).toEqual({ id, status: 'pending', message: AWAITING_MODERATION });
  });

  it('holds a request for likes for a moderator, naming the request', async () => {
    const body = "How many likes can the council's new logo get? Not many, I bet.";
    const row = await stored(await post(sampleComment(`art-${randomUUID()}`, { authorEmail: `bait-${randomUUID()}@example.org`, body })));
    // Held, unless another check blocks it: other test files teach the run's shared spam model
    // concurrently, so the classifier's points for this text are not fixed here.
    const enforced = row.reasons.filter((v) => v.mode === 'enforce');
    const blockedByOthers = enforced.some((v) => v.verdict === 'spam') || enforced.reduce((sum, v) => sum + v.score, 0) >= 10;
    expect(row.status).toBe(blockedByOthers ? 'spam' : 'pending');
    expect(verdict(row, 'engagement_bait')).toMatchObject({
      verdict: 'review',
      mode: 'enforce',
      reasons: [expect.objectContaining({ code: 'asks_for_likes', field: 'body', match: 'how many likes' })],
    });
  });

  it('stores the body fingerprint with the comment', async () => {
    const row = await stored(await post(sampleComment(`art-${randomUUID()}`)));
    expect(row.body_hash).toHaveLength(16);
    expect(row.body_minhash).toHaveLength(16);
    expect(row.body_lsh).toHaveLength(8);
  });

  it('rejects the same comment posted twice with code duplicate', async () => {
    const comment = sampleComment(`art-${randomUUID()}`);
    const first = await post(comment);
    expect((await stored(first)).status).not.toBe('rejected');
    const second = await post(comment);
    const row = await stored(second);
    expect(row.status).toBe('rejected');
    expect(verdict(row, 'duplicate')).toMatchObject({ verdict: 'reject', reasons: [expect.objectContaining({ code: 'duplicate', match: first })] });

    const status = await (await fetch(`${h.baseUrl}/api/comments/${second}`)).json();
    expect(status).toMatchObject({ status: 'rejected', fields: [{ field: 'body', code: 'duplicate', message: DUPLICATE_MESSAGE }] });
  });

  it('does not call a comment a duplicate of one by another author', async () => {
    const comment = sampleComment(`art-${randomUUID()}`);
    await stored(await post(comment));
    const row = await stored(await post({ ...comment, authorName: 'Someone Else', authorEmail: `other-${randomUUID()}@example.org` }));
    expect(verdict(row, 'duplicate')).toMatchObject({ verdict: 'pass' });
  });

  it('marks the same text from a third author within a day as a spam campaign, near-identical copies included', async () => {
    // Fixed text: the near-identical variant below is known to match (the fingerprint is deterministic).
    const text = 'Make real money from home every single day with this one simple trick the banks do not want you to know about';
    const bodies = [text, `${text.toUpperCase()}!`, text.replace('simple', 'easy')];
    const rows = [];
    // Different articles and authors, one at a time: the campaign is the text, not the thread.
    for (const [n, body] of bodies.entries()) {
      const id = await post({ ...sampleComment(`art-${randomUUID()}`), authorName: `Author ${n}`, authorEmail: `campaign-${n}-${randomUUID()}@example.org`, body });
      rows.push(await stored(id));
    }
    expect(verdict(rows[0], 'campaign')?.verdict).toBe('pass');
    expect(verdict(rows[1], 'campaign')?.verdict).toBe('pass');
    expect(rows[2].status).toBe('spam');
    expect(verdict(rows[2], 'campaign')).toMatchObject({ verdict: 'spam', reasons: [expect.objectContaining({ code: 'campaign', message: expect.stringContaining('3 different authors') })] });
  });

  it('applies the disallowed list saved in the settings table', async () => {
    const word = `zorblax${randomUUID().slice(0, 6)}`;
    await saveSettings(h.pool, { disallowedKeys: [{ pattern: word, kind: 'word' }] }, 'spam-checks-test');
    const row = await stored(await post(sampleComment(`art-${randomUUID()}`, { body: `I would like to mention ${word.toUpperCase()} here.` })));
    expect(row.status).toBe('spam');
    expect(verdict(row, 'disallowed_keys')?.reasons[0]).toMatchObject({ code: 'disallowed_key', field: 'body', match: word });
  });

  it('always treats Akismet\'s test author as spam', async () => {
    const row = await stored(await post(sampleComment(`art-${randomUUID()}`, { authorName: 'viagra-test-123' })));
    expect(row.status).toBe('spam');
    expect(verdict(row, 'akismet_test')?.reasons[0].code).toBe('test_spam');
  });
});
