import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../../src/moderation/types';
import { eventually, sampleComment, startHarness, type Harness } from '../helpers/harness';
import { signedInClient } from '../helpers/moderation';
import { MAX_BODY, repeated } from './worst-case';

/**
 * Issue 14, findings 1 and 3, through the real API and worker: one hostile comment, or a rule test
 * with a hostile pattern, must not hold up the process. API and worker share this process (as
 * `npm start` runs them), so a blocked event loop shows in /healthz.
 */
describe('worst-case comments and patterns through the API', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<typeof signedInClient>>['api'];
  beforeAll(async () => {
    h = await startHarness({ env: { SETTINGS_REFRESH_MS: '0' } });
    admin = (await signedInClient(h, 'admin')).api;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Milliseconds /healthz takes to answer, from a fresh request. */
  const healthzMs = async () => {
    const t0 = performance.now();
    const res = await fetch(`${h.baseUrl}/healthz`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    return performance.now() - t0;
  };

  it('a 16 KB "<a href=" comment leaves /healthz answering (slowest under 3 s, most under 200 ms) while the worker decides it', async () => {
    const body = repeated('<a href=', 16 * 1024);
    const res = await fetch(`${h.baseUrl}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sampleComment(`sec-${randomUUID()}`, { body })),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    const timings: number[] = [];
    let row: { status: string; reasons: CheckResult[] } | undefined;
    const deadline = Date.now() + 30000;
    while (!row && Date.now() < deadline) {
      timings.push(await healthzMs());
      row = (await h.pool.query('SELECT status, reasons FROM comments WHERE id = $1', [id])).rows[0];
      if (!row) await new Promise((r) => setTimeout(r, 20));
    }
    timings.push(await healthzMs());
    expect(row).toBeDefined(); // decided within 30 s (the old pattern took 10-12 s of blocked event loop)
    expect(row!.reasons.find((v) => v.check === 'links')).toMatchObject({ verdict: 'pass' });
    // The old pattern blocked the event loop for 10-12 s, so no answer came in between. A busy 2-core
    // machine (other test workers, other sessions) delays single answers by hundreds of ms; a
    // blocked loop delays one by seconds. So: the slowest answer under 3 s, and most under 200 ms.
    expect(Math.max(...timings)).toBeLessThan(3000);
    expect(timings.filter((ms) => ms < 200).length).toBeGreaterThan(timings.length / 2);
  });

  it('the rule tester answers quickly for time-bomb patterns on 31-character and 64 KB bodies', async () => {
    const settings = {
      moderationKeys: [
        { pattern: '(a+)+$', kind: 'regex' },
        { pattern: '(\\w+\\s?)+$', kind: 'regex' },
      ],
      disallowedKeys: [{ pattern: '[a-z0-9.]+@[a-z0-9.]+', kind: 'regex' }],
    };
    for (const body of [`${'a'.repeat(30)}!`, `${repeated('aaaa ', 30)}!`, `${'a'.repeat(MAX_BODY - 1)}!`, repeated('a.', MAX_BODY), repeated('<a href=', MAX_BODY)]) {
      const t0 = performance.now();
      const res = await admin.post('/api/moderation/rule-test', { comment: { authorName: 'Sam', authorEmail: 'sam@example.org', body }, settings });
      const ms = performance.now() - t0;
      expect(res.status).toBe(200);
      expect(res.body.decision.status).toEqual(expect.any(String));
      // Generous: every check, history look-ups included, on a busy machine. The old engine took
      // 7.9 s on the 31-character body and did not finish the 64 KB ones.
      expect(ms).toBeLessThan(2000);
    }
  });

  it('refuses a backreference or lookaround entry when settings are saved, with the field and why', async () => {
    const res = await admin.put('/api/moderation/settings', {
      moderationKeys: [{ pattern: 'ok', kind: 'word' }, { pattern: '(a)\\1', kind: 'regex' }],
      disallowedKeys: [{ pattern: '(?<=buy )now', kind: 'regex' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toEqual([
      { field: 'moderationKeys.1.pattern', message: expect.stringMatching(/refused.*linear time.*backreferences/) },
      { field: 'disallowedKeys.0.pattern', message: expect.stringMatching(/refused.*lookaround/) },
    ]);
    const stored = await admin.get('/api/moderation/settings');
    expect(JSON.stringify(stored.body.settings.moderationKeys)).not.toContain('(a)\\\\1');
  });

  it('refuses such an entry in the rule tester\'s unsaved settings too', async () => {
    const res = await admin.post('/api/moderation/rule-test', { comment: { body: 'aa' }, settings: { disallowedKeys: [{ pattern: '(a)\\1', kind: 'regex' }] } });
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([{ field: 'disallowedKeys.0.pattern', message: expect.stringMatching(/refused/) }]);
  });

  it('the rule tester holds samples to the submit limits before any check runs', async () => {
    const tooLong = await admin.post('/api/moderation/rule-test', { comment: { body: 'x'.repeat(MAX_BODY + 1) } });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['comment.body']);
    const hugeIp = await admin.post('/api/moderation/rule-test', { comment: { body: 'hi' }, request: { ip: '1'.repeat(100000), userAgent: null } });
    expect(hugeIp.status).toBe(422);
    expect(hugeIp.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['request.ip']);
  });
});
