import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

const WORDS = 'the council budget vote tonight school roads river park library tram museum market harbour election mayor report season players coach stadium weather storm bridge ferry festival music theatre books science hospital nurses doctors housing rents prices energy wind solar'.split(' ');
const STATUSES = ['1', '1', '1', '1', '1', '1', '0', 'spam', 'trash'];

/** A deterministic pseudo-random sequence (the same file for the same arguments). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Writes a WordPress WXR export of `comments` comments, `perPost` to a post, each about `bodyChars`
 * characters, streamed to `file` (never held whole). Every tenth comment replies to an earlier one
 * of its post; the first reply of each post comes BEFORE its parent in the file, as hand-merged files
 * do. Statuses mix 1, 0, spam and trash. Returns the file's size in bytes.
 */
export async function writeWxr(file: string, opts: { comments: number; perPost?: number; bodyChars?: number; truncateAt?: number }): Promise<number> {
  const perPost = opts.perPost ?? 50;
  const bodyChars = opts.bodyChars ?? 700;
  const random = rng(42);
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (s: string) => {
    if (opts.truncateAt !== undefined && bytes >= opts.truncateAt) return;
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Generated</title>
	<wp:wxr_version>1.2</wp:wxr_version>
`);
  let id = 1;
  for (let post = 1; id <= opts.comments; post += 1) {
    await write(`	<item>
		<title>Post ${post}</title>
		<link>https://news.example.org/${post}/</link>
		<guid isPermaLink="false">https://news.example.org/?p=${post}</guid>
		<wp:post_id>${post}</wp:post_id>
		<content:encoded><![CDATA[${'An article about the town. '.repeat(20)}]]></content:encoded>
`);
    const first = id;
    const ids: number[] = [];
    for (let n = 0; n < perPost && id <= opts.comments; n += 1) ids.push(id++);
    // The post's second comment is written first, replying to the one after it in the file.
    if (ids.length > 2) [ids[0], ids[1]] = [ids[1], ids[0]];
    for (const cid of ids) {
      let body = '';
      while (body.length < bodyChars) body += `${WORDS[Math.floor(random() * WORDS.length)]} `;
      const parent = cid === first + 1 && ids.length > 2 ? first : cid % 10 === 0 && cid - 1 > first ? cid - 1 - Math.floor(random() * (cid - 1 - first)) : 0;
      const day = 1 + (cid % 28);
      await write(`		<wp:comment>
			<wp:comment_id>${cid}</wp:comment_id>
			<wp:comment_author><![CDATA[Reader ${cid % 997}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[reader${cid % 997}@example.org]]></wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[203.0.113.${cid % 250}]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-03-${String(day).padStart(2, '0')} 10:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-03-${String(day).padStart(2, '0')} 09:${String(cid % 60).padStart(2, '0')}:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[${body.trim()}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[${STATUSES[cid % STATUSES.length]}]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>${parent}</wp:comment_parent>
		</wp:comment>
`);
    }
    await write('	</item>\n');
  }
  await write('</channel>\n</rss>\n');
  out.end();
  await finished(out);
  return bytes;
}

/**
 * Writes a Disqus export of `posts` posts, `perThread` to a thread, streamed to `file`. With
 * `threadsLast`, every thread comes after all the posts (the worst case for streaming: each post's
 * article is known only at the end). Every tenth post replies to an earlier one; some are spam or
 * deleted. Returns the file's size in bytes.
 */
export async function writeDisqus(file: string, opts: { posts: number; perThread?: number; bodyChars?: number; threadsLast?: boolean }): Promise<number> {
  const perThread = opts.perThread ?? 50;
  const bodyChars = opts.bodyChars ?? 700;
  const random = rng(7);
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  const threads = Math.ceil(opts.posts / perThread);
  const thread = (t: number) => `<thread dsq:id="${1000 + t}"><id>article-${t}</id><forum>news</forum><link>https://news.example.org/article-${t}/</link><title>Article ${t}</title><createdAt>2024-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`;
  await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');
  if (!opts.threadsLast) for (let t = 0; t < threads; t += 1) await write(thread(t));
  for (let p = 1; p <= opts.posts; p += 1) {
    let body = '';
    while (body.length < bodyChars) body += `${WORDS[Math.floor(random() * WORDS.length)]} `;
    const t = Math.floor((p - 1) / perThread);
    const parent = p % 10 === 0 && p - 1 > t * perThread ? p - 1 : 0;
    await write(`<post dsq:id="${p}"><id/><message><![CDATA[<p>${body.trim()}</p>]]></message><createdAt>2024-02-${String(1 + (p % 28)).padStart(2, '0')}T08:00:${String(p % 60).padStart(2, '0')}Z</createdAt>
<isDeleted>${p % 17 === 0}</isDeleted><isSpam>${p % 11 === 0}</isSpam><author><email>reader${p % 997}@example.org</email><name>Reader ${p % 997}</name><isAnonymous>false</isAnonymous></author>
<ipAddress>203.0.113.${p % 250}</ipAddress><thread dsq:id="${1000 + t}"/>${parent ? `<parent dsq:id="${parent}"/>` : ''}</post>\n`);
  }
  if (opts.threadsLast) for (let t = 0; t < threads; t += 1) await write(thread(t));
  await write('</disqus>\n');
  out.end();
  await finished(out);
  return bytes;
}
