import { commentFingerprint } from '../src/moderation/fingerprint';

/**
 * A comment's body fingerprint, computed once per job: the campaign check, the duplicate look-up
 * and the store all need it (the job's comment object is the same for all three).
 */
export const fingerprintOf = commentFingerprint;
