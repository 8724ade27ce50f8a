import { authorHistories, countCampaigns, findDuplicates, findParents, type AuthorHistoryQuery } from './history-repository';
import type { Pool } from './pool';
import type { AuthorHistory, CampaignQuery, CommentStatus, HistoryLookup } from '../moderation/types';
import { createBatchLoader, type BatchLoaderOptions } from '../lib/batch-loader';

/**
 * The history look-ups the checks are handed (CheckContext.history): the look-ups that concurrent jobs
 * make are grouped (../lib/batch-loader.ts) into one query per kind (./history-repository.ts). An idle
 * caller (the rule tester, a test) is answered by a batch of one, through the same queries.
 *
 * What a comment can see: committed comments only. Comments being decided at the same moment do not
 * see each other (two jobs running side by side never did); a batch only widens "the same moment" to
 * the comments grouped with it, a few milliseconds' worth. Flood control at the API (one comment per
 * email per floodSeconds) keeps an author's duplicate out of its own batch; a campaign is caught from
 * the comments after the first batch that carries it.
 */
export function createHistoryLookup(pool: Pool, opts: BatchLoaderOptions = { maxBatch: 200, maxInFlight: 2 }): HistoryLookup {
  const parent = createBatchLoader<string, { articleId: string; status: CommentStatus } | null>((ids) => findParents(pool, ids), opts);
  const duplicate = createBatchLoader<{ comment: Parameters<HistoryLookup['findDuplicate']>[0]; hash: string }, string | null>(
    (asked) => findDuplicates(pool, asked.map((a) => a.comment), asked.map((a) => a.hash)),
    opts,
  );
  const campaign = createBatchLoader<CampaignQuery, { authors: number; ips: number }>((queries) => countCampaigns(pool, queries), opts);
  const author = createBatchLoader<AuthorHistoryQuery, AuthorHistory>((queries) => authorHistories(pool, queries), opts);
  return {
    findParent: parent,
    findDuplicate: (comment, hash) => duplicate({ comment, hash }),
    countCampaign: campaign,
    authorHistory: author,
  };
}
