import { withTransaction, type Pool } from './pool';
import { toStoredComment, type StoredComment } from './comment-repository';
import { recordEvent } from './decision-repository';
import { ConflictError, NotFoundError } from '../errors';

/**
 * Makes a published comment an editors' pick (or no longer one), with an event in the trail.
 * `updated_at` moves, so the reader listing's version (and ETag) changes. 404 when the comment does
 * not exist, 409 `not_published` when it is not published (only published comments can be picks).
 */
export async function setFeatured(pool: Pool, id: string, featured: boolean, who: { actor: string; note?: string | null }): Promise<StoredComment> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `UPDATE comments SET featured_at = ${featured ? 'coalesce(featured_at, now())' : 'NULL'}, updated_at = now()
       WHERE id = $1 AND status = 'approved' RETURNING *`,
      [id],
    );
    if (!rows[0]) {
      const found = await client.query<{ status: string }>('SELECT status FROM comments WHERE id = $1', [id]);
      if (!found.rows[0]) throw new NotFoundError('No comment with this id.');
      throw new ConflictError('not_published', `Only published comments can be editors' picks; this one is ${found.rows[0].status}.`, { currentStatus: found.rows[0].status });
    }
    const code = featured ? 'featured' : 'unfeatured';
    await recordEvent(client, id, 'approved', 'approved', who, [{ code, message: featured ? "Made an editors' pick." : "No longer an editors' pick." }]);
    return toStoredComment(rows[0]);
  });
}
