import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { createPool, type Pool } from '../../../src/db/pool';
import { testConfig, silentLog } from '../../helpers/env';
import { eventually, sampleComment, startHarness, type Harness } from '../../helpers/harness';
import { client, createTestModerator, signIn } from '../../helpers/moderation';

jest.setTimeout(150000);

interface Mail {
  from: string;
  to: string[];
  data: string;
}

/** A real SMTP server (the smtp-server package) on loopback, keeping every message it accepts. */
async function startSmtp() {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Quoted-printable soft line breaks and escapes undone, so a body's text can be searched. */
const plain = (data: string) => data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe('moderator e-mail about held comments', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let h: Harness | undefined;
  let pool: Pool;
  let optedIn: string;
  let notOptedIn: string;

  /**
   * Settings and opt-ins are written before the harness starts, so its worker's first read of them
   * (it re-reads every SETTINGS_REFRESH_MS) already has them.
   */
  const start = async (digestMinutes: number) => {
    await h?.close();
    await pool.query('UPDATE integration_settings SET mail_digest_minutes = $1', [digestMinutes]);
    h = await startHarness({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Moderation <moderation@news.example.org>' }, workerSettings: { holdAll: true } });
    return h;
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    pool = createPool(testConfig().DATABASE_URL, 2, silentLog);
    const m = await createTestModerator(pool, 'moderator');
    const other = await createTestModerator(pool, 'admin');
    optedIn = m.email;
    notOptedIn = other.email;
    // Opting in through the API, as a moderator does from the review page.
    const h0 = await start(0);
    const api = client(h0, await signIn(h0, m.email));
    expect((await api.put('/api/moderation/me/notifications', { heldComments: true })).body).toEqual({ heldComments: true });
    expect((await api.get('/api/moderation/me/notifications')).body).toEqual({ heldComments: true });
    expect((await api.put('/api/moderation/me/notifications', { heldComments: 'yes' })).status).toBe(422);
  });
  afterAll(async () => {
    await h?.close();
    await pool.query('UPDATE integration_settings SET mail_digest_minutes = 0');
    await pool.query('UPDATE moderators SET notify_held = false WHERE email = $1', [optedIn]);
    await pool.end();
    await smtp.close();
  });

  const submit = async (articleId: string, extra: Record<string, unknown> = {}) => {
    const res = await fetch(`${h!.baseUrl}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sampleComment(articleId, extra)) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  const mailsFor = (marker: string) => smtp.mails.filter((m) => plain(m.data).includes(marker));

  it('at once: opted-in moderators get the count, the comment and a link to the queue', async () => {
    const hh = await start(0);
    const marker = `held-${randomUUID().slice(0, 8)}`;
    await submit(`mail-${randomUUID()}`, { authorName: marker });
    const mail = await eventually(async () => mailsFor(marker)[0], 60000, 100);
    expect(mail.to).toContain(optedIn);
    expect(mail.to).not.toContain(notOptedIn);
    expect(mail.from).toBe('moderation@news.example.org');
    const text = plain(mail.data);
    expect(text).toMatch(/^Subject: \d+ comments? (is|are) waiting for moderation/m);
    expect(text).toContain(`${hh.config.PUBLIC_URL}/moderation`);
    expect(text).toContain(marker);
  });

  it('as a digest: comments held within the window come in one e-mail', async () => {
    await start(1);
    // Both comments well inside one one-minute window: wait for a minute with 20 s or more left in it.
    await eventually(async () => Date.now() % 60000 < 40000, 70000, 200);
    const marker = `digest-${randomUUID().slice(0, 8)}`;
    await submit(`mail-${randomUUID()}`, { authorName: `${marker}-a` });
    await submit(`mail-${randomUUID()}`, { authorName: `${marker}-b` });
    const mail = await eventually(async () => mailsFor(`${marker}-a`)[0], 100000, 200);
    expect(plain(mail.data)).toContain(`${marker}-b`);
    expect(mail.to).toContain(optedIn);
    expect(mailsFor(`${marker}-b`)).toHaveLength(1);
  });
});
