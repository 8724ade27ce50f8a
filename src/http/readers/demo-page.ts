import type { ArticleCommentsPage, PublicComment } from '../../db/comment-repository';
import { mostRead, type DemoStory } from './demo-stories';
import { escapeHtml as esc } from '../html';
import { renderCommentBody, safeHref, userLink } from './render-text';

/** What the demo article page shows; everything readers wrote is escaped when rendered. */
export interface DemoPageModel {
  story: DemoStory;
  /** This page's own URL without query extras: the form's redirect_to and the base of its links. */
  articleUrl: string;
  /** The no-JavaScript view's comments (the widget loads its own). */
  comments: ArticleCommentsPage;
  /** The comment being replied to without JavaScript (`?replytocom=`), when it is approved. */
  replyTo: { id: string; authorName: string } | null;
  /** The notice after a no-JavaScript post (`?unapproved=`). */
  notice: { commentId: string; status: string; message: string } | null;
  /** That comment itself while it is held, when this browser wrote it (cookie checked by the route). */
  ownPending?: PublicComment | null;
  /** A signed form token for the no-JavaScript form (`form_token`). */
  formToken: string;
  today: Date;
  /** The article's state: closed (no form: "Comments are closed") and the newsroom's message. */
  article?: { closed: boolean; message: string | null };
}

/** Strict CSP for the pages: no inline script or style anywhere; the widget is a normal <script src>. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const dayFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function when(iso: string): string {
  const d = new Date(iso);
  return `${dateFmt.format(d)} at ${timeFmt.format(d)}`;
}

function withQuery(base: string, params: Record<string, string>, hash: string): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  url.hash = hash;
  return url.href;
}

function initials(name: string): string {
  return name.split(/\s+/).map((w) => w[0] ?? '').join('').slice(0, 2).toUpperCase();
}

export function renderDemoPage(m: DemoPageModel): string {
  const s = m.story;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(s.headline)} – The Harbour Gazette</title>
<meta name="description" content="${esc(s.standfirst)}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header class="masthead">
  <div class="topbar"><div class="wrap"><span>${esc(dayFmt.format(m.today))}</span><span>A demonstration site for the comment service</span></div></div>
  <div class="wrap brand"><a class="logo" href="/">The Harbour <span>Gazette</span></a><p class="tagline">Independent news for the city and the coast since 1894</p></div>
  <nav class="sections" aria-label="Sections"><div class="wrap">${['News', 'City', 'Politics', 'Business', 'Transport', 'Culture', 'Sport', 'Opinion']
    .map((n) => `<a href="/"${n === s.section ? ' class="active"' : ''}>${n}</a>`)
    .join('')}</div></nav>
</header>
<main class="wrap layout">
<article class="story">
  <p class="crumbs"><a href="/">Home</a> <span aria-hidden="true">›</span> <a href="/">${esc(s.section)}</a></p>
  <p class="kicker">${esc(s.section)}</p>
  <h1>${esc(s.headline)}</h1>
  <p class="standfirst">${esc(s.standfirst)}</p>
  <div class="byline">
    <span class="byline-avatar" aria-hidden="true">${esc(initials(s.author))}</span>
    <div class="byline-who"><span class="byline-name">By ${esc(s.author)}</span><span class="byline-role">${esc(s.role)}</span></div>
    <div class="byline-meta"><time datetime="${esc(s.published)}">${esc(when(s.published))}</time>
      <a href="#comments" class="comment-link" data-comment-count="${esc(s.id)}">${countText(m.comments.total)}</a></div>
  </div>
  ${s.caption ? `<figure class="hero"><img src="/demo-hero.svg" width="1200" height="640" alt="Drawing of a long brick tram depot with arched windows"><figcaption>${esc(s.caption)}</figcaption></figure>` : ''}
  <div class="story-body">
${s.body.map(paragraph).join('\n')}
  </div>
  <ul class="tags" aria-label="Tags">${s.tags.map((t) => `<li><a href="/">${esc(t)}</a></li>`).join('')}</ul>
  ${m.notice && !m.ownPending ? `<p class="pending-notice notice-${esc(m.notice.status)}" id="comment-${esc(m.notice.commentId)}" role="status">${esc(m.notice.message)}</p>` : ''}
  <div id="comments" data-article-id="${esc(s.id)}">
    <noscript>${renderNoScriptComments(m)}</noscript>
  </div>
</article>
<aside class="sidebar">
  <section class="panel">
    <h2 class="block-title"><span>Most read</span></h2>
    <ol class="most-read">${mostRead()
      .map((o) => `<li><a href="/?article=${encodeURIComponent(o.id)}">${esc(o.headline)}</a><span class="count" data-comment-count="${esc(o.id)}"></span></li>`)
      .join('')}</ol>
  </section>
  <section class="panel newsletter">
    <h2 class="block-title"><span>Newsletter</span></h2>
    <p>The day’s city news in your inbox every morning at seven. Free, and easy to leave.</p>
  </section>
</aside>
</main>
<footer class="site-footer"><div class="wrap"><p class="logo small">The Harbour <span>Gazette</span></p>
<p>A fictional newspaper. The comments below the article are real: they go through this service’s moderation.</p></div></footer>
<script src="/embed.js" async></script>
</body>
</html>
`;
}

function countText(n: number): string {
  return n === 0 ? 'No comments' : n === 1 ? '1 comment' : `${n} comments`;
}

function paragraph(p: string): string {
  if (p.startsWith('## ')) return `<h2>${esc(p.slice(3))}</h2>`;
  if (p.startsWith('> ')) return `<blockquote><p>${esc(p.slice(2))}</p></blockquote>`;
  return `<p>${esc(p)}</p>`;
}

/** The comment list and form for readers without JavaScript: server-rendered, every value escaped. */
export function renderNoScriptComments(m: DemoPageModel): string {
  const { comments } = m;
  const title = comments.total ? `<h3 class="block-title"><span>${comments.total === 1 ? '1 COMMENT' : `${comments.total} COMMENTS`}</span></h3>` : '';
  const more = comments.nextCursor
    ? `<p><a class="more" href="${esc(withQuery(m.articleUrl, { cpage: comments.nextCursor }, 'comments'))}">More comments</a></p>`
    : '';
  // The reader's own held comment goes under its parent when that is on this page, else at the end.
  const own = m.ownPending ?? null;
  const onPage = (list: PublicComment[]): boolean => list.some((c) => c.id === own?.parentId || onPage(c.replies));
  const ownUnder = own?.parentId && onPage(comments.comments) ? own : null;
  const ownAtEnd = own && !ownUnder ? renderOwnPending(own) : '';
  return `<section class="nj-comments">${title}<ol class="nj-list">${comments.comments.map((c) => renderComment(c, m.articleUrl, ownUnder, m.formToken)).join('')}${ownAtEnd}</ol>${more}${renderForm(m)}</section>`;
}

/** The reader's own comment while it awaits moderation, as WordPress shows it: no Reply link, and a note. */
function renderOwnPending(c: PublicComment): string {
  const href = safeHref(c.authorUrl);
  const name = href ? userLink(href, c.authorName) : esc(c.authorName);
  return `<li class="nj-comment nj-pending" id="comment-${esc(c.id)}"><article>
<p class="nj-meta"><cite class="nj-author">${name}</cite> <time datetime="${esc(c.createdAt)}">${esc(when(c.createdAt))}</time></p>
<p class="nj-note" role="status">Your comment is awaiting moderation.</p>
<div class="nj-text">${renderCommentBody(c.body)}</div>
</article></li>`;
}

/** One approved comment and its replies; exported for the escaping tests. */
export function renderComment(c: PublicComment, articleUrl: string, ownPending: PublicComment | null = null, formToken?: string): string {
  const href = safeHref(c.authorUrl);
  const name = href ? userLink(href, c.authorName) : esc(c.authorName);
  const reply = esc(withQuery(articleUrl, { replytocom: c.id }, 'respond'));
  const own = ownPending?.parentId === c.id ? renderOwnPending(ownPending) : '';
  const replies = c.replies.length || own ? `<ol class="nj-children">${c.replies.map((r) => renderComment(r, articleUrl, ownPending, formToken)).join('')}${own}</ol>` : '';
  return `<li class="nj-comment" id="comment-${esc(c.id)}"><article>
<p class="nj-meta"><cite class="nj-author">${name}</cite> <time datetime="${esc(c.createdAt)}">${esc(when(c.createdAt))}</time></p>
<div class="nj-text">${renderCommentBody(c.body)}</div>
<a class="nj-reply" href="${reply}" rel="nofollow">Reply</a>
${formToken ? renderReportForm(c, articleUrl, formToken) : ''}</article>${replies}</li>`;
}

/** The reasons a reader may give, as the report API names them. */
const REPORT_REASONS: [string, string][] = [
  ['spam', 'Spam or advertising'],
  ['abusive', 'Abusive or hateful'],
  ['off_topic', 'Off topic'],
  ['other', 'Something else'],
];

/** "Report" without JavaScript: a disclosure (no script needed) holding a plain form. */
function renderReportForm(c: PublicComment, articleUrl: string, formToken: string): string {
  const id = esc(c.id);
  const radios = REPORT_REASONS.map(
    ([value, label], i) => `<label><input type="radio" name="reason" value="${value}"${i === 0 ? ' required' : ''}> ${esc(label)}</label>`,
  ).join('');
  return `<details class="nj-report"><summary>Report</summary>
<form action="/api/comments/${id}/reports" method="post" class="nj-report-form">
<fieldset><legend>Why are you reporting this comment?</legend>${radios}</fieldset>
<p><label for="nj-report-note-${id}">Note for the moderators (optional)</label><textarea id="nj-report-note-${id}" name="note" maxlength="500" rows="2"></textarea></p>
<input type="hidden" name="form_token" value="${esc(formToken)}">
<input type="hidden" name="redirect_to" value="${esc(articleUrl)}">
<p><button type="submit">Send report</button></p>
</form></details>`;
}

/** The newsroom's message for this article, above the form (or in place of it). */
function articleMessage(m: DemoPageModel): string {
  return m.article?.message ? `<p class="nj-article-message" role="note">${esc(m.article.message)}</p>` : '';
}

function renderForm(m: DemoPageModel): string {
  if (m.article?.closed) return `<div class="nj-respond nj-closed" id="respond"><p class="nj-closed-note" role="status">Comments are closed.</p>${articleMessage(m)}</div>`;
  const cancel = m.replyTo ? ` <a class="cancel" href="${esc(m.articleUrl)}#respond">Cancel reply</a>` : '';
  const replying = m.replyTo ? `<p class="nj-replying">Replying to ${esc(m.replyTo.authorName)}</p>` : '';
  return `<div class="nj-respond" id="respond">
<h3 class="block-title"><span>LEAVE A REPLY</span>${cancel}</h3>${articleMessage(m)}${replying}
<form action="/api/comments" method="post" class="nj-form">
<p><label class="sr" for="nj-comment">Comment</label><textarea id="nj-comment" name="comment" placeholder="Comment:" required rows="8"></textarea></p>
<div class="nj-row">
<p><label class="sr" for="nj-author">Name (required)</label><input id="nj-author" name="author" type="text" placeholder="Name:*" required autocomplete="name"></p>
<p><label class="sr" for="nj-email">Email (required, not published)</label><input id="nj-email" name="email" type="email" placeholder="Email:*" required autocomplete="email"></p>
<p><label class="sr" for="nj-url">Website</label><input id="nj-url" name="url" type="text" inputmode="url" placeholder="Website:" autocomplete="url"></p>
</div>
<p class="hp" aria-hidden="true"><label>Leave this field empty <input name="hp_url" type="text" tabindex="-1" autocomplete="off"></label></p>
<input type="hidden" name="comment_post_ID" value="${esc(m.story.id)}">
<input type="hidden" name="comment_parent" value="${esc(m.replyTo?.id ?? '0')}">
<input type="hidden" name="redirect_to" value="${esc(m.articleUrl)}">
<input type="hidden" name="form_token" value="${esc(m.formToken)}">
<p><button type="submit" class="submit">Post Comment</button></p>
</form></div>`;
}
