import { commentFingerprint, NEAR_DUPLICATE_MATCHES } from '../fingerprint';
import { clientAddress } from '../ip-address';
import type { BodyFingerprint, Check, CheckContext, CheckResult, HistoryLookup } from '../types';

/** A body repeated by this many different authors or addresses is a campaign. */
export const CAMPAIGN_SOURCES = 3;
/** ...within this window. */
export const CAMPAIGN_WINDOW_MS = 24 * 3600 * 1000;

/**
 * Campaigns: the same normalized body, or a near-identical one (MinHash, see ../fingerprint.ts), from 3 or
 * more different authors (emails) or IP addresses within 24 h → spam. Bodies shorter than
 * CAMPAIGN_MIN_WORDS are left alone: many people write "Great article, thanks!" on the same day.
 */
export const campaignCheck: Check = {
  name: 'campaign',
  // Synchronous without stored history (eval, rule tester): no look-up, no promise.
  run(ctx) {
    if (!ctx.history || typeof ctx.comment.body !== 'string') return pass();
    const fingerprint = commentFingerprint(ctx.comment);
    if (!fingerprint.bands) return pass();
    return countSources(ctx, ctx.history, fingerprint);
  },
};

const pass = (): CheckResult => ({ check: 'campaign', verdict: 'pass', score: 0, reasons: [] });

async function countSources({ comment, request }: CheckContext, history: HistoryLookup, fingerprint: BodyFingerprint): Promise<CheckResult> {
  const { authors, ips } = await history.countCampaign({
    fingerprint,
    since: new Date(new Date(request.receivedAt).getTime() - CAMPAIGN_WINDOW_MS),
    commentId: comment.id,
    email: comment.authorEmail,
    ip: clientAddress(request.ip),
    minMatches: NEAR_DUPLICATE_MATCHES,
  });
  if (authors < CAMPAIGN_SOURCES && ips < CAMPAIGN_SOURCES) return pass();
  return {
    check: 'campaign',
    verdict: 'spam',
    score: 0,
    reasons: [{ code: 'campaign', message: `The same text came from ${authors} different authors and ${ips} addresses within 24 hours.`, field: 'body' }],
  };
}
