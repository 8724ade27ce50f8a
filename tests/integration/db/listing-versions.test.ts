import { randomUUID } from 'node:crypto';
import { createPool, type Pool } from '../../../src/db/pool';
import { approvedListingVersion } from '../../../src/db/comment-repository';
import { createListingVersions, LISTING_CHANNEL, type ListingVersions } from '../../../src/db/listing-versions';
import { eventually } from '../../helpers/harness';
import { silentLog } from '../../helpers/env';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';

/**
 * Listing versions remembered in memory until Postgres announces a change (migrations/0010 triggers
 * + LISTEN). Real Postgres; the pool handed to the cache counts its queries (and can hold their
 * answers back), so "served from memory" is observable.
 */
describe('createListingVersions', () => {
  let pool: Pool;
  let versions: ListingVersions;
  let queries = 0;
  let gate: Promise<void> | null = null;
  /** Reads Postgres has answered and the gate now holds. */
  let heldAnswered = 0;
  /** This file's listening connection, told apart from the API processes' of other test files. */
  const applicationName = `listing-versions-test-${randomUUID()}`;

  /** The listening connection goes through this proxy, so a test can cut it and keep it cut. */
  let proxy: TcpProxy;

  beforeAll(async () => {
    pool = createPool(process.env.TEST_DATABASE_URL!, 4, silentLog);
    const counting = {
      query: async (...args: unknown[]) => {
        queries += 1;
        const held = gate; // a read started while the gate is up is held, however fast Postgres answers
        const result = await (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
        if (held) {
          heldAnswered += 1;
          await held;
        }
        return result;
      },
    } as unknown as Pool;
    const db = new URL(process.env.TEST_DATABASE_URL!);
    proxy = await startTcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    const viaProxy = new URL(db.href);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    versions = createListingVersions(viaProxy.href, counting, silentLog, { applicationName });
    await eventually(async () => versions.listening, 5000, 10);
  });
  afterAll(async () => {
    await versions.close();
    await proxy.close();
    await pool.end();
  });

  const article = () => `versions-${randomUUID()}`;
  const insert = async (articleId: string, status = 'approved') => {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO comments (id, article_id, author_name, author_email, body, status, submitted_at) VALUES ($1, $2, 'Ada', $4, 'A remark.', $3, now())`,
      [id, articleId, status, `versions-${id}@example.org`], // an email of its own: no author history shared with other files
    );
    return id;
  };
  /** The version as Postgres has it now. */
  const truth = (articleId: string) => approvedListingVersion(pool, articleId);
  /** Waits until the cache's version for the article is Postgres's again. */
  const caughtUp = (articleId: string) =>
    eventually(async () => {
      const [mine, real] = await Promise.all([versions.get(articleId), truth(articleId)]);
      return mine === real;
    }, 10000, 10);
  /** True when a read of `articleId` was answered from memory. */
  const fromMemory = async (articleId: string) => {
    const before = queries;
    await versions.get(articleId);
    return queries === before;
  };
  /**
   * Resolves once the cache has heard every notification sent before the call. Postgres delivers
   * notifications in commit order, so once a marker sent now has made the cache forget the marker
   * article, every earlier one (e.g. an insert's own, which may arrive after a read that followed
   * it: on a loaded machine, long after) has been applied too.
   */
  const heardAll = async () => {
    const marker = article();
    await eventually(() => fromMemory(marker), 10000, 10);
    await pool.query('SELECT pg_notify($1, $2)', [LISTING_CHANNEL, marker]);
    await eventually(async () => !(await fromMemory(marker)), 10000, 10);
  };

  it('answers a repeated read from memory', async () => {
    const a = article();
    await insert(a);
    await heardAll(); // the insert's own notification must not arrive after the reads below
    const first = await versions.get(a);
    const before = queries;
    for (let i = 0; i < 5; i += 1) expect(await versions.get(a)).toBe(first);
    expect(queries).toBe(before);
    expect(first).toBe(await truth(a));
  });

  it('forgets an article when an approved comment is inserted, edited, un-approved or deleted', async () => {
    const a = article();
    const id = await insert(a);
    await caughtUp(a);
    let previous = await versions.get(a);
    const change = async (work: () => Promise<unknown>) => {
      await work();
      await caughtUp(a);
      const now = await versions.get(a);
      expect(now).not.toBe(previous);
      previous = now;
    };
    await change(() => insert(a)); // a second approved comment
    await change(() => pool.query(`UPDATE comments SET body = 'Edited.', updated_at = now() WHERE id = $1`, [id]));
    await change(() => pool.query(`UPDATE comments SET status = 'pending', updated_at = now() WHERE id = $1`, [id]));
    await change(() => pool.query(`UPDATE comments SET status = 'approved', updated_at = now() WHERE id = $1`, [id]));
    await change(() => pool.query('DELETE FROM comments WHERE id = $1', [id]));
  });

  it('keeps the version when only comments readers cannot see change', async () => {
    const a = article();
    await insert(a);
    const pending = await insert(a, 'pending');
    // The approved insert's notification is not what this test is about: let it arrive first.
    await heardAll();
    const version = await versions.get(a);
    await pool.query(`UPDATE comments SET status = 'spam', updated_at = now() WHERE id = $1`, [pending]);
    // Any notification the update sent has arrived by now.
    await heardAll();
    const before = queries;
    expect(await versions.get(a)).toBe(version);
    expect(queries).toBe(before);
  });

  it('forgets everything on a notification for every article ("*", as TRUNCATE sends)', async () => {
    const a = article();
    await insert(a);
    await heardAll(); // no notification of a's own is still on its way
    await versions.get(a);
    expect(await fromMemory(a)).toBe(true);
    await pool.query('SELECT pg_notify($1, $2)', [LISTING_CHANNEL, '*']);
    await heardAll();
    expect(await fromMemory(a)).toBe(false);
  });

  it('does not remember a version read while its article changed', async () => {
    const a = article();
    await insert(a);
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    const asked = heldAnswered;
    const reading = versions.get(a); // reads the old version, then waits at the gate
    // Postgres has answered it before the change below (a read merely sent may still be waiting for
    // a pooled connection when the change commits, and then read the new version).
    await eventually(async () => heldAnswered > asked, 10000, 5);
    const old = await truth(a);
    gate = null;
    await insert(a); // the change's notification arrives while the read is held
    await heardAll();
    open();
    expect(await reading).toBe(old);
    // The held answer predates the change: the next read asks Postgres again and gets the new one.
    expect(await versions.get(a)).toBe(await truth(a));
    expect(await versions.get(a)).not.toBe(old);
  });

  it('reads every version from Postgres while the listening connection is down, and listens again', async () => {
    const a = article();
    await insert(a);
    await versions.get(a);
    const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query = $2`, [applicationName, `LISTEN ${LISTING_CHANNEL}`]);
    expect(rows).toHaveLength(1);
    // Cut, and stay cut until restored: a reconnect (first tried after 100 ms) cannot slip in
    // between the reads below however slow the machine is.
    await proxy.cut();
    await eventually(async () => !versions.listening, 10000, 5);
    const before = queries;
    await versions.get(a);
    await versions.get(a);
    expect(queries).toBe(before + 2);
    await proxy.restore();
    await eventually(async () => versions.listening, 10000, 20);
    await insert(a);
    await caughtUp(a);
  });
});
