/** The systems comments are imported from. */
export type ImportSource = 'wordpress' | 'disqus';

export type ImportedStatus = 'approved' | 'pending' | 'spam' | 'trash';
export type ImportedType = 'comment' | 'pingback' | 'trackback';

/**
 * One comment as an export file holds it, read field by field as ../shared/fixtures/README.md says
 * (the same shape as the fixtures' `*.expected.json`), plus the scope its id is unique in.
 */
export interface ParsedComment {
  originId: string;
  /** WordPress: the item's guid, else its link; Disqus: the thread's link. Null when the file has none. */
  articleKey: string | null;
  articleTitle: string | null;
  parentOriginId: string | null;
  authorName: string;
  authorEmail: string | null;
  authorUrl: string | null;
  authorIp: string | null;
  /** `YYYY-MM-DDTHH:MM:SSZ`, or null when the file has no usable GMT time. */
  createdAtGmt: string | null;
  body: string;
  status: ImportedStatus;
  type: ImportedType;
  /**
   * What `originId` is unique in: WordPress reuses comment ids across posts in merged files, so
   * there it is the post (articleKey, else `post:<wp:post_id>`); Disqus ids are unique: ''.
   */
  scope: string;
  /**
   * WordPress files this service exported: the comment's id here, and its parent's (comment meta
   * `_comment_moderation_id` / `_comment_moderation_parent_id`), so importing the file again finds the
   * same comments whatever their origin (a reader's, a Disqus import's).
   */
  serviceId?: string;
  serviceParentId?: string | null;
  /** Disqus: the post's thread id, for resolving a thread that comes later in the file. */
  threadId?: string | null;
}

/** A thread (Disqus) seen in the file after posts that point at it. */
export interface LateThread {
  articleKey: string | null;
  articleTitle: string | null;
}

/** What a reader found besides the comments. */
export interface ReadResult {
  /** Oddities, in English (capped: see MAX_NOTES). */
  notes: string[];
  /** Disqus threads defined after posts referring to them, by thread id. */
  lateThreads: Map<string, LateThread>;
}

/** A file that cannot be imported: names the line (1-based) and column. */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}: line ${line}, column ${column}: ${reason}`);
    this.name = 'ImportFileError';
  }
}
