import type { CivilityScorer } from '../models/civility-model';
import type { CuratedLists } from '../models/curated-lists';
/**
 * The moderation pipeline's contract. Checks receive everything they need in a CheckContext and
 * answer with a CheckResult; they know nothing of HTTP, BullMQ or SQL.
 */

/** What one check thinks of a comment. */
export type Verdict = 'pass' | 'review' | 'spam' | 'reject';

/**
 * Final status of a stored comment. `trash` is set by moderators, and by the pipeline for a
 * disallowed-list match when `disallowedAction` is `trash`.
 */
export type CommentStatus = 'approved' | 'pending' | 'spam' | 'rejected' | 'trash';

/**
 * Whether a check's verdict counts (`enforce`), is only recorded (`observe`, shadow mode), or the check
 * does not run at all (`off`: no verdict, no points, no reasons).
 */
export type CheckMode = 'enforce' | 'observe' | 'off';

/** One explanation a moderator can read. `code` is a stable snake_case id, part of the API. */
export interface Reason {
  code: string;
  message: string;
  /** The comment field that matched (author_name, body, ...), when there is one. */
  field?: string;
  /** The text that matched, when there is one. */
  match?: string;
}

/** What the article check reads of a comment's article (./article-policy.ts articleModeration). */
export interface ArticleModeration {
  closed: boolean;
  premoderate: 'off' | 'all' | 'links';
  /** A surge is on until then (every new comment held). */
  surgeUntil: Date | null;
}

/** A check's answer. `score` adds to the comment's total spam score (0 when the check has no opinion). */
export interface CheckResult {
  check: string;
  verdict: Verdict;
  score: number;
  reasons: Reason[];
  /** Filled in by the pipeline from the settings: observed verdicts do not change the decision. */
  mode?: CheckMode;
  /** Set by the pipeline when the check itself failed; the comment then goes to a human. */
  error?: boolean;
  /**
   * Weak evidence: points read from the text alone (the model's opinion, shouting, phone numbers…)
   * or from things real readers also do (no form token, a throwaway address). Weak points can hold
   * a comment but never bin it on their own: see `decide` in ../pipeline.ts.
   */
  weak?: boolean;
  /**
   * Spam-shaped evidence (self-promotion of a channel or site, a support number, anchor-text links,
   * an advert for an author name): with a model sure enough (`binIfCorroborated`) it bins.
   */
  corroborates?: boolean;
  /**
   * The model is sure enough (past its corroborated anchor, under its own spam anchor) that one
   * spam-shaped signal from another check (`corroborates`) bins the comment; alone it holds.
   */
  binIfCorroborated?: boolean;
}

/** The comment as submitted (after the shape check), plus the form's anti-spam fields. */
export interface CommentInput {
  id: string;
  articleId: string;
  parentId: string | null;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  body: string;
  /** Value of the hidden honeypot field; `undefined`/null when the client never sent the field. */
  honeypot?: string | null;
  /** Signed form token from GET /api/form-token; null when missing. */
  formToken?: string | null;
}

/** What the API saw of the request, snapshotted into the job (the worker has no request). */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  referrer: string | null;
  /** ISO-8601 time the API received the comment. */
  receivedAt: string;
}

/** A word-list entry: matched on word boundaries unless marked as substring or regular expression. */
export interface WordListEntry {
  pattern: string;
  kind: 'word' | 'substring' | 'regex';
}

/** Site settings the checks and the decision read. Stored in the `settings` table. */
export interface ModerationSettings {
  /** WordPress "comment_moderation": hold every comment for a moderator. */
  holdAll: boolean;
  /** Total score at or above which a comment is spam. */
  spamThreshold: number;
  /** Total score at or above which a comment is held for review. */
  holdThreshold: number;
  /** WordPress "comment_max_links": this many links or more → review; 0 turns it off. */
  commentMaxLinks: number;
  /** WordPress "moderation_keys": matches → review. */
  moderationKeys: WordListEntry[];
  /** WordPress "disallowed_keys": matches → spam (or trash). */
  disallowedKeys: WordListEntry[];
  disallowedAction: 'spam' | 'trash';
  /** WordPress "comment_previously_approved". */
  previouslyApproved: boolean;
  /** Submissions sooner than this after the form token was issued score as bots. */
  minSubmitSeconds: number;
  /** Form tokens older than this are expired. */
  formTokenMaxAgeSeconds: number;
  /** Score added when a comment arrives without a form token. */
  missingTokenScore: number;
  /** Flood control at the API: one comment per IP or email per this many seconds; 0 turns it off. */
  floodSeconds: number;
  /** Hourly cap of comments per IP; 0 turns it off. */
  hourlyLimitPerIp: number;
  /** Per-check mode; a check not listed is enforced. */
  checkModes: Record<string, CheckMode>;
  /**
   * The civility check holds a comment whose toxicity score (the estimated share of raters who would
   * call it toxic, 0..1) is at or over this. It only ever holds, never bins (docs/civility.md).
   */
  civilityHoldThreshold: number;
  /** Words the site accepts ("liar" on a politics desk): the civility model ignores them. Lower case. */
  civilityAllowList: string[];
  /** Articles (docs/articles.md): close comments this many days after an article's publication; null: never (WordPress's default). */
  closeAfterDays: number | null;
  /** Hide a published comment from readers once its reports weigh this much, until a moderator decides; 0: never. */
  hideAfterReports: number;
  /** Surge: this many accepted comments on one article within surgeWindowSeconds pre-moderate it; 0 turns surges off. */
  surgeCount: number;
  surgeWindowSeconds: number;
  /** Surge: or this many times the article's own rate over the previous hour (once at least surgeMinCount arrived in the window). */
  surgeFactor: number;
  surgeMinCount: number;
  /** How long a surge holds every new comment. */
  surgeHoldSeconds: number;
}

/** Look-ups into stored comments that history-based checks need. Implemented over Postgres. */
export interface HistoryLookup {
  /** The parent comment, if it exists. */
  findParent(parentId: string): Promise<{ articleId: string; status: CommentStatus } | null>;
  /** Id of a stored, non-trashed comment with the same article, parent, author, email and body (`bodyHash`: its fingerprint hash). */
  findDuplicate(comment: CommentInput, bodyHash: string): Promise<string | null>;
  /**
   * Distinct authors (emails) and IPs that posted the same or a near-identical body (see
   * fingerprint.ts) since `since`, counting the comment being checked (`commentId`, `email`, `ip`).
   */
  countCampaign(q: CampaignQuery): Promise<{ authors: number; ips: number }>;
  /** Counts of earlier decisions for the same email / IP / author URL (IP spam only since `ipSince`, when given). */
  authorHistory(q: { email: string; ip: string | null; url: string | null; ipSince?: Date }): Promise<AuthorHistory>;
}

/** A body's fingerprint, stored with each comment (see fingerprint.ts). */
export interface BodyFingerprint {
  /** Hex SHA-256 prefix of the normalized words. */
  hash: string;
  /** MinHash signature (int32 values) over word pairs; null for bodies too short for campaign detection. */
  minhash: number[] | null;
  /** Locality-sensitive-hashing band keys of the signature (int32); null with `minhash`. */
  bands: number[] | null;
  /** Words in the normalized body. */
  words: number;
}

export interface CampaignQuery {
  fingerprint: BodyFingerprint;
  since: Date;
  commentId: string;
  email: string;
  ip: string | null;
  /** Signature positions that must agree for a near-identical body (fingerprint.ts NEAR_DUPLICATE_MATCHES). */
  minMatches: number;
}

export interface AuthorHistory {
  approvedByEmail: number;
  spamByEmail: number;
  spamByIp: number;
  spamByUrl: number;
}

/** A trained text model. `spamProbability` is in [0, 1]; explain lists the tokens that weighed most. */
export interface SpamClassifier {
  classify(text: ClassifierInput): { spamProbability: number; topTokens: { token: string; weight: number }[] };
}

/** What the classifier reads of a comment. */
export interface ClassifierInput {
  body: string;
  authorName?: string;
  /** Handed over with the author, but not read: see `modelFeatures` in src/models/tokenizer.ts (lessons alone would set their weights). */
  authorEmail?: string;
  authorUrl?: string | null;
}

/** Everything a check may read. Built by the worker (or the rule tester, `npm run check`, eval) per comment. */
export interface CheckContext {
  comment: CommentInput;
  request: RequestContext;
  settings: ModerationSettings;
  now: Date;
  /** Absent where no stored history exists (`npm run check`, eval): history checks then have no opinion. */
  history?: HistoryLookup;
  /** Absent when no model is loaded: the classifier check then has no opinion. */
  classifier?: SpamClassifier;
  /** The civility model (src/models/civility.ts); absent: the civility check has no opinion. */
  civility?: CivilityScorer;
  /** Curated spam sites, numbers and phrases (src/models/curated-lists.ts); absent: no opinion. */
  curatedLists?: CuratedLists;
  /** The article's moderation state (./article-policy.ts); absent: no article settings apply. */
  article?: ArticleModeration;
  /** Secret used to verify form tokens; absent where there is no form to check (eval, the rule tester's pasted sample). */
  formTokenSecret?: string;
}

/** A named check. `run` returns a verdict for content problems and throws only on infrastructure faults. */
export interface Check {
  name: string;
  run(ctx: CheckContext): Promise<CheckResult> | CheckResult;
}

/** The pipeline's outcome: the decided status, total score and every check's result. */
export interface Decision {
  status: Exclude<CommentStatus, 'trash'> | 'trash';
  score: number;
  verdicts: CheckResult[];
}
