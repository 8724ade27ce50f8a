import { fingerprintBody } from '../src/moderation/fingerprint';
import type { BodyFingerprint, CommentInput } from '../src/moderation/types';

const cache = new WeakMap<CommentInput, BodyFingerprint>();

/**
 * A comment's body fingerprint, computed once per job: the duplicate look-up and the store both
 * need it (the job's comment object is the same for both, and goes with the job).
 */
export function fingerprintOf(comment: CommentInput): BodyFingerprint {
  let fingerprint = cache.get(comment);
  if (!fingerprint) {
    fingerprint = fingerprintBody(comment.body);
    cache.set(comment, fingerprint);
  }
  return fingerprint;
}
