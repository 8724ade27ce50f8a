import { authorHistories, countCampaigns, findDuplicates, findParents, type AuthorHistoryQuery } from '../src/db/history-batch-repository';
import type { Pool } from '../src/db/pool';
import type { AuthorHistory, CampaignQuery, CommentInput, CommentStatus, HistoryLookup } from '../src/moderation/types';
import { createBatchLoader, type BatchLoaderOptions } from './batch-loader';
import { commentFingerprint } from '../src/moderation/fingerprint';

/**
 * The history look-ups for a busy worker: the same answers as createHistoryLookup, but the
 * look-ups that concurrent jobs make are grouped (./batch-loader.ts) into one query per kind.
 *
 * What a comment can see is unchanged in kind: committed comments only. As before, comments being
 * decided at the same moment do not see each other (two jobs running side by side never did); a
 * batch only widens "the same moment" to the comments grouped with it, a few milliseconds' worth.
 * Flood control at the API (one comment per email per floodSeconds) keeps an author's duplicate
 * out of its own batch; a campaign is caught from the comments after the first batch that carries it.
 */
export function createBatchedHistoryLookup(pool: Pool, opts: BatchLoaderOptions = { maxBatch: 200, maxInFlight: 2 }): HistoryLookup {
  const parent = createBatchLoader<string, { articleId: string; status: CommentStatus } | null>((ids) => findParents(pool, ids), opts);
  const duplicate = createBatchLoader<CommentInput, string | null>((comments) => findDuplicates(pool, comments, comments.map((c) => commentFingerprint(c).hash)), opts);
  const campaign = createBatchLoader<CampaignQuery, { authors: number; ips: number }>((queries) => countCampaigns(pool, queries), opts);
  const author = createBatchLoader<AuthorHistoryQuery, AuthorHistory>((queries) => authorHistories(pool, queries), opts);
  return {
    findParent: parent,
    findDuplicate: duplicate,
    countCampaign: campaign,
    authorHistory: author,
  };
}
