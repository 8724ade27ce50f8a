/*
 * Comment widget: the approved comments of an article, threaded, and the "Leave a reply" form.
 *
 *   <div id="comments" data-article-id="budget-2026"></div>
 *   <script src="https://comments.example.org/embed.js" async></script>
 *
 * Plain browser JavaScript (ES2019), no build step, no framework, no third-party requests: it talks
 * only to the service it was loaded from (or the `data-api` base on the script or the container).
 * It renders into a Shadow DOM, so the page's styles and ours never meet. Readers' text is only ever
 * set with textContent; links are built with createElement and only for http(s) URLs.
 * Index pages: `<a data-comment-count="budget-2026"></a>` gets "3 comments".
 */
(function () {
  'use strict';

  var script = document.currentScript || document.querySelector('script[src*="/embed.js"]');
  var scriptSrc = script && script.src ? script.src : '';
  var MAX_PENDING_AGE_MS = 30 * 24 * 3600 * 1000;
  var POLL_DELAYS_MS = [1000, 2000, 3000, 5000, 8000, 13000, 20000, 30000, 30000];
  var REL = 'nofollow ugc noopener';
  var TEXT = {
    title: 'LEAVE A REPLY',
    cancel: 'Cancel reply',
    comment: 'Comment:',
    name: 'Name:*',
    email: 'Email:*',
    website: 'Website:',
    save: 'Save my name, email, and website in this browser for the next time I comment.',
    post: 'Post Comment',
    posting: 'Posting\u2026',
    reply: 'Reply',
    more: 'Load more comments',
    awaiting: 'Your comment is awaiting moderation.',
    published: 'Your comment is published.',
    noBody: 'Please enter your comment!',
    noName: 'Please enter your name here',
    noEmail: 'Please enter your email address (it is not published).',
    badEmail: 'You have entered an incorrect email address!',
    rejected: 'Your comment could not be published.',
    tooFast: 'You are posting comments too quickly. Slow down.',
    canPostAgain: 'You can post your comment now.',
    unavailable: 'Comments cannot be accepted right now. Please try again in a moment.',
    offline: 'The comment could not be sent. Check your connection and try again.',
    failed: 'Something went wrong. Please try again.',
    loadFailed: 'Comments could not be loaded.',
    empty: 'No comments yet. Be the first to leave a reply!',
    closed: 'Comments are closed.',
    report: 'Report',
    reportWhy: 'Why are you reporting this comment?',
    reportNote: 'Note for the moderators (optional)',
    reportSend: 'Send report',
    reportCancel: 'Cancel',
    reportThanks: 'Thank you. A moderator will look at this comment.',
    reportGone: 'This comment is no longer published.',
    picks: 'Editors\u2019 picks',
  };
  var REPORT_REASONS = [['spam', 'Spam or advertising'], ['abusive', 'Abusive or hateful'], ['off_topic', 'Off topic'], ['other', 'Something else']];
  var API_FIELDS = { body: 'comment', authorName: 'author', authorEmail: 'email', authorUrl: 'url' };

  var CSS = [
    ':host{all:initial;display:block;font-family:var(--cm-font,-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif);font-size:15px;line-height:1.6;color:var(--cm-text,#111);text-align:left}',
    '*{box-sizing:border-box}',
    '[hidden]{display:none!important}',
    '.cm-root{margin:40px 0 0}',
    '.cm-block-title{margin:0 0 26px;border-bottom:2px solid var(--cm-accent,#111);font-size:14px;font-weight:700;line-height:1;text-transform:uppercase;letter-spacing:.02em}',
    '.cm-block-title>span{display:inline-block;padding:8px 12px 7px;background:var(--cm-accent,#111);color:#fff}',
    '.cm-block-title a{float:right;margin-top:6px;color:#777;font-size:12px;font-weight:400;text-transform:none;letter-spacing:0}',
    '.cm-list,.cm-children{list-style:none;margin:0;padding:0}',
    '.cm-children{margin-left:64px}',
    '.cm-comment>article{position:relative;padding:20px 0 16px 64px;border-bottom:1px solid #ededed;min-height:90px}',
    '.cm-comment.cm-flash>article{background:#fffbe6}',
    '.cm-comment:focus{outline:none}',
    '.cm-comment:focus-visible>article{outline:2px solid var(--cm-link,#4db2ec);outline-offset:2px}',
    '.cm-avatar{position:absolute;left:0;top:22px;width:48px;height:48px;border-radius:50%;color:#fff;font-size:20px;font-weight:700;line-height:48px;text-align:center;text-transform:uppercase;user-select:none}',
    '.cm-meta{margin:0 0 6px;font-size:13px;color:#999}',
    '.cm-author{margin-right:10px;font-style:normal;font-size:15px;font-weight:700;color:#111}',
    '.cm-author a{color:inherit;text-decoration:none}',
    '.cm-author a:hover{color:var(--cm-link,#4db2ec)}',
    '.cm-text{overflow-wrap:anywhere;font-size:15px;color:#222}',
    '.cm-text p{margin:0 0 10px}',
    '.cm-text a{color:var(--cm-link,#0a70b5)}',
    '.cm-pending .cm-text{color:#555}',
    '.cm-note{display:block;margin:0 0 8px;color:#b45309;font-size:13px;font-style:italic}',
    '.cm-reply{padding:0;border:0;background:none;color:#777;font:inherit;font-size:12px;font-weight:700;text-transform:uppercase;cursor:pointer}',
    '.cm-reply:hover,.cm-reply:focus{color:var(--cm-link,#0a70b5)}',
    '.cm-empty{margin:0 0 26px;color:#777}',
    '.cm-more{display:block;margin:20px 0 0;padding:10px 16px;border:1px solid #ddd;background:#fff;color:#111;font:inherit;font-size:13px;cursor:pointer}',
    '.cm-respond{margin:40px 0 0}',
    '.cm-comment .cm-respond{margin:20px 0 20px 64px}',
    '.cm-field{margin:0 0 18px}',
    '.cm-row{display:flex;gap:24px}',
    '.cm-row .cm-field{flex:1 1 0;min-width:0}',
    'textarea,input[type=text],input[type=email],input[type=url]{display:block;width:100%;margin:0;padding:8px 10px;border:1px solid #e1e1e1;border-radius:0;background:#fff;color:#444;font:inherit;font-size:14px;line-height:1.4;outline:0;transition:border-color .2s}',
    'textarea{min-height:170px;resize:vertical}',
    'textarea:focus,input:focus{border-color:#b0b0b0}',
    '[aria-invalid=true]{border-color:#d32f2f!important}',
    '.cm-error{margin:6px 0 0;color:#d32f2f;font-size:13px}',
    '.cm-error:empty{display:none}',
    '.cm-hp{position:absolute!important;left:-10000px;width:1px;height:1px;overflow:hidden}',
    '.cm-save{display:flex;align-items:flex-start;gap:8px;margin:0 0 18px;font-size:13px;color:#444}',
    '.cm-save input{margin:4px 0 0}',
    '.cm-status{margin:0 0 18px;padding:12px 14px;font-size:14px;border-left:3px solid #2e7d32;background:#f1f8f1;color:#1b4d1e}',
    '.cm-status.cm-bad{border-color:#d32f2f;background:#fdf2f2;color:#8a1c1c}',
    '.cm-status:empty{display:none}',
    '.cm-submit{padding:11px 18px;border:0;border-radius:0;background:#222;color:#fff;font:inherit;font-size:13px;font-weight:700;cursor:pointer;transition:background .2s}',
    '.cm-submit:hover,.cm-submit:focus{background:var(--cm-link,#4db2ec)}',
    '.cm-submit[disabled]{opacity:.6;cursor:wait}',
    '.cm-closed,.cm-message{margin:26px 0 0;padding:12px 14px;border-left:3px solid #777;background:#f6f6f6;color:#333;font-size:14px}',
    '.cm-closed-root .cm-reply{display:none}',
    '.cm-flag{margin-left:16px;padding:0;border:0;background:none;color:#777;font:inherit;font-size:12px;font-weight:700;text-transform:uppercase;cursor:pointer}',
    '.cm-flag:hover,.cm-flag:focus{color:var(--cm-link,#0a70b5)}',
    '.cm-report{margin:10px 0 0;padding:10px 12px;border:1px solid #e1e1e1;font-size:14px}',
    '.cm-report fieldset{margin:0 0 8px;padding:0;border:0}',
    '.cm-report legend{font-weight:700;margin:0 0 4px}',
    '.cm-report label{display:block}',
    '.cm-report textarea{min-height:60px}',
    '.cm-report .cm-submit{margin-right:8px}',
    '.cm-picks{margin:0 0 26px;padding:14px 16px;border:2px solid var(--cm-accent,#111)}',
    '.cm-picks h4{margin:0 0 10px;font-size:13px;text-transform:uppercase}',
    '.cm-picks ol{list-style:none;margin:0;padding:0}',
    '.cm-picks li{margin:0 0 10px}',
    '.cm-picks a{color:var(--cm-link,#0a70b5);font-size:13px}',
    '.cm-badge{display:inline-block;margin-right:10px;padding:1px 6px;background:var(--cm-accent,#111);color:#fff;font-size:11px;font-weight:700;text-transform:uppercase}',
    '.cm-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    '@media (max-width:640px){.cm-row{display:block}.cm-children{margin-left:20px}.cm-comment>article{padding-left:56px}.cm-comment .cm-respond{margin-left:0}}',
  ].join('\n');

  /** The API's base URL: data-api on the container or the script, else where this script came from. */
  function apiBase(container) {
    var explicit = container.getAttribute('data-api') || (script && script.getAttribute('data-api'));
    var raw = explicit || scriptSrc.replace(/\/embed\.js(?:[?#].*)?$/, '') || location.origin;
    try {
      return new URL(raw, location.href).href.replace(/\/+$/, '');
    } catch (e) {
      return location.origin;
    }
  }

  /** An absolute http(s) URL as a link target, or null for anything else (javascript:, data:, …). */
  function safeHref(raw) {
    if (typeof raw !== 'string' || !raw) return null;
    try {
      var url = new URL(raw.trim());
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** createElement with a class, text and attributes; children are appended as given. */
  function el(tag, cls, text, attrs) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function userLink(href, text) {
    var a = el('a', '', text, { rel: REL });
    a.href = href;
    return a;
  }

  /**
   * The punctuation that ends `url`, read backwards once (as render-text.ts does): a pattern such
   * as /[.,…]+$/ retries from every mark of a run, quadratic on a URL followed by many dots.
   */
  function trailingPunctuation(url) {
    var i = url.length;
    while (i > 0 && '.,;:!?\'")]}'.indexOf(url.charAt(i - 1)) >= 0) i--;
    return url.slice(i);
  }

  /** Text with line breaks and http(s) links, as DOM nodes: never parsed as markup. */
  function renderBody(body) {
    var out = document.createDocumentFragment();
    var urlRe = /\bhttps?:\/\/[^\s<>"'`[\]]+/gi; // as HTTP_URL in src/moderation/link-scan.ts
    String(body).replace(/\r\n?/g, '\n').trim().split(/\n{2,}/).forEach(function (para) {
      var p = el('p');
      para.split('\n').forEach(function (line, i) {
        if (i) p.appendChild(el('br'));
        var last = 0;
        var m;
        urlRe.lastIndex = 0;
        while ((m = urlRe.exec(line))) {
          var url = m[0];
          var trail = trailingPunctuation(url);
          url = url.slice(0, url.length - trail.length);
          if (trail.charAt(0) === ')' && url.indexOf('(') >= 0) url += ')';
          var href = safeHref(url);
          if (!href) continue;
          p.appendChild(document.createTextNode(line.slice(last, m.index)));
          p.appendChild(userLink(href, url));
          last = m.index + url.length;
        }
        p.appendChild(document.createTextNode(line.slice(last)));
      });
      out.appendChild(p);
    });
    return out;
  }

  function formatDate(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    var lang = document.documentElement.lang || undefined;
    try {
      return d.toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric' }) + ' at ' +
        d.toLocaleTimeString(lang, { hour: 'numeric', minute: '2-digit' }).toLowerCase();
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  }

  function avatarColor(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
    return 'hsl(' + (h % 360) + ',45%,45%)';
  }

  var store = {
    get: function (key) {
      try {
        return JSON.parse(window.localStorage.getItem(key) || 'null');
      } catch (e) {
        return null;
      }
    },
    set: function (key, value) {
      try {
        if (value == null) window.localStorage.removeItem(key);
        else window.localStorage.setItem(key, JSON.stringify(value));
      } catch (e) { /* storage blocked or full: the widget works without it */ }
    },
  };

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'k' + Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }

  function fetchJson(url, init) {
    return fetch(url, init).then(function (res) {
      return res.json().then(
        function (body) { return { res: res, body: body }; },
        function () { return { res: res, body: null }; }
      );
    });
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  /** One widget in one container. */
  function Thread(container) {
    this.container = container;
    this.api = apiBase(container);
    this.articleId = container.getAttribute('data-article-id') || location.pathname;
    this.pendingKey = 'cm-pending:' + this.api + ':' + this.articleId;
    this.savedKey = 'cm-commenter:' + this.api;
    this.token = null;
    this.idempotencyKey = null;
    this.cursor = null;
    this.shown = {};
  }

  Thread.prototype.mount = function () {
    var root = this.container.attachShadow ? this.container.attachShadow({ mode: 'open' }) : this.container;
    if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      // A constructed sheet is not an inline <style>: it works under the host page's strict CSP.
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el('style', '', CSS));
    }
    this.root = el('section', 'cm-root', null, { 'aria-label': 'Comments' });
    this.countTitle = el('h3', 'cm-block-title');
    this.countTitle.hidden = true;
    this.list = el('ol', 'cm-list');
    this.empty = el('p', 'cm-empty');
    this.moreButton = el('button', 'cm-more', TEXT.more, { type: 'button' });
    this.moreButton.hidden = true;
    this.moreButton.addEventListener('click', this.loadPage.bind(this, false));
    this.picks = el('section', 'cm-picks', null, { 'aria-label': TEXT.picks });
    this.picks.hidden = true;
    this.root.appendChild(this.countTitle);
    this.root.appendChild(this.picks);
    this.root.appendChild(this.list);
    this.root.appendChild(this.empty);
    this.root.appendChild(this.moreButton);
    this.root.appendChild(this.buildForm());
    root.appendChild(this.root);
    this.fetchToken();
    this.loadState();
    var self = this;
    this.loadPage(true).then(function () {
      self.checkPending();
      self.revealHash();
    });
  };

  /* ---------- the article: closed, the newsroom's message ---------- */

  Thread.prototype.loadState = function () {
    var self = this;
    fetchJson(this.api + '/api/articles/' + encodeURIComponent(this.articleId) + '/state', { credentials: 'omit' }).then(function (r) {
      if (r.res.ok && r.body) self.applyState(r.body);
    }, function () {});
  };

  /** Closed: "Comments are closed" (and the message) instead of the form and the Reply buttons. */
  Thread.prototype.applyState = function (state) {
    if (this.message) this.message.parentNode.removeChild(this.message);
    this.message = null;
    if (state.closed) {
      this.replyTo(null, null);
      this.respond.hidden = true;
      this.root.classList.add('cm-closed-root');
      this.message = el('div', 'cm-closed', null, { role: 'status' });
      this.message.appendChild(el('p', '', TEXT.closed));
      if (state.message) this.message.appendChild(el('p', '', String(state.message)));
      this.root.appendChild(this.message);
    } else if (state.message) {
      this.message = el('p', 'cm-message', String(state.message), { role: 'note' });
      this.respond.insertBefore(this.message, this.respond.children[1] || null);
    }
  };

  /* ---------- the list ---------- */

  Thread.prototype.loadPage = function (first) {
    var self = this;
    var url = this.api + '/api/articles/' + encodeURIComponent(this.articleId) + '/comments?limit=50' +
      (!first && this.cursor ? '&cursor=' + encodeURIComponent(this.cursor) : '');
    this.moreButton.disabled = true;
    return fetchJson(url, { credentials: 'omit' }).then(function (r) {
      if (!r.res.ok || !r.body) throw new Error('listing ' + r.res.status);
      if (first) {
        self.list.textContent = '';
        self.shown = {};
      }
      r.body.comments.forEach(function (c) {
        // A later page may repeat a comment already shown: keep one (a pending copy gives way).
        var had = self.shown[c.id];
        if (had && !had.classList.contains('cm-pending')) return;
        if (had) had.parentNode.removeChild(had);
        self.list.appendChild(self.renderComment(c, false));
      });
      if (first) self.showPicks(r.body.featured || []);
      self.cursor = r.body.nextCursor;
      self.moreButton.hidden = !self.cursor;
      self.setCount(r.body.total);
      self.showPending();
    }).catch(function () {
      self.empty.textContent = TEXT.loadFailed;
      self.empty.hidden = false;
    }).then(function () {
      self.moreButton.disabled = false;
    });
  };

  /** The editors' picks strip above the comments: each pick's author, text and a link to it in the thread. */
  Thread.prototype.showPicks = function (featured) {
    this.picks.textContent = '';
    this.picks.hidden = !featured.length;
    if (!featured.length) return;
    this.picks.appendChild(el('h4', '', TEXT.picks));
    var list = el('ol');
    featured.forEach(function (c) {
      var li = el('li', 'cm-pick');
      var meta = el('p', 'cm-meta');
      meta.appendChild(el('cite', 'cm-author', String(c.authorName || '')));
      li.appendChild(meta);
      var text = el('div', 'cm-text');
      text.appendChild(renderBody(c.body));
      li.appendChild(text);
      li.appendChild(el('a', '', 'Go to the comment', { href: '#comment-' + c.id }));
      list.appendChild(li);
    });
    this.picks.appendChild(list);
  };

  Thread.prototype.setCount = function (total) {
    this.countTitle.textContent = '';
    this.countTitle.appendChild(el('span', '', total === 1 ? '1 COMMENT' : total + ' COMMENTS'));
    this.countTitle.hidden = !total;
    this.empty.textContent = total ? '' : TEXT.empty;
    this.updateEmpty();
  };

  /** "No comments yet" only while the list shows nothing at all, not even the reader's own pending comment. */
  Thread.prototype.updateEmpty = function () {
    this.empty.hidden = !this.empty.textContent || (this.empty.textContent === TEXT.empty && this.list.children.length > 0);
  };

  Thread.prototype.renderComment = function (c, pending) {
    var self = this;
    var li = el('li', 'cm-comment' + (pending ? ' cm-pending' : ''), null, { id: 'comment-' + c.id });
    var art = el('article');
    var name = String(c.authorName || '');
    var avatar = el('span', 'cm-avatar', name.trim().charAt(0) || '?', { 'aria-hidden': 'true' });
    avatar.style.background = avatarColor(name);
    art.appendChild(avatar);
    var meta = el('p', 'cm-meta');
    var author = el('cite', 'cm-author');
    var href = safeHref(c.authorUrl);
    author.appendChild(href ? userLink(href, name) : document.createTextNode(name));
    meta.appendChild(author);
    if (c.featured) meta.appendChild(el('span', 'cm-badge', TEXT.picks.replace(/s$/, '')));
    var time = el('time', '', formatDate(c.createdAt));
    time.dateTime = c.createdAt;
    meta.appendChild(time);
    art.appendChild(meta);
    if (pending) art.appendChild(el('em', 'cm-note', TEXT.awaiting));
    var text = el('div', 'cm-text');
    text.appendChild(renderBody(c.body));
    art.appendChild(text);
    if (!pending) {
      var reply = el('button', 'cm-reply', TEXT.reply, { type: 'button', 'aria-label': 'Reply to ' + name });
      reply.addEventListener('click', function () { self.replyTo(c.id, li); });
      art.appendChild(reply);
      var flag = el('button', 'cm-flag', TEXT.report, { type: 'button', 'aria-label': 'Report the comment by ' + name, 'aria-expanded': 'false' });
      flag.addEventListener('click', function () { self.toggleReport(c.id, art, flag); });
      art.appendChild(flag);
    }
    li.appendChild(art);
    var children = el('ol', 'cm-children');
    (c.replies || []).forEach(function (r) { children.appendChild(self.renderComment(r, false)); });
    li.appendChild(children);
    this.shown[c.id] = li;
    return li;
  };

  /* ---------- readers' reports ---------- */

  /** Opens (or closes) the report form under a comment: reasons as radio buttons, an optional note. */
  Thread.prototype.toggleReport = function (id, art, button) {
    var self = this;
    var open = art.querySelector('.cm-report');
    if (open) {
      art.removeChild(open);
      button.setAttribute('aria-expanded', 'false');
      button.focus();
      return;
    }
    var uid = 'cmr' + Math.random().toString(36).slice(2, 8);
    var form = el('form', 'cm-report', null, { 'aria-label': TEXT.reportWhy, id: uid });
    var set = el('fieldset');
    set.appendChild(el('legend', '', TEXT.reportWhy));
    REPORT_REASONS.forEach(function (r, i) {
      var label = el('label');
      var radio = el('input', '', null, { type: 'radio', name: uid + '-reason', value: r[0] });
      if (i === 0) radio.checked = true;
      label.appendChild(radio);
      label.appendChild(document.createTextNode(' ' + r[1]));
      set.appendChild(label);
    });
    form.appendChild(set);
    form.appendChild(el('label', '', TEXT.reportNote, { for: uid + '-note' }));
    var note = el('textarea', '', null, { id: uid + '-note', maxlength: '500', rows: '2' });
    form.appendChild(note);
    var said = el('p', 'cm-status', null, { role: 'status', 'aria-live': 'polite' });
    form.appendChild(said);
    var send = el('button', 'cm-submit', TEXT.reportSend, { type: 'submit' });
    var cancel = el('button', 'cm-more', TEXT.reportCancel, { type: 'button' });
    cancel.addEventListener('click', function () { self.toggleReport(id, art, button); });
    form.appendChild(send);
    form.appendChild(cancel);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (send.disabled) return;
      send.disabled = true;
      var checked = form.querySelector('input[type=radio]:checked');
      var readerKey = 'cm-reader:' + self.api;
      self.freshToken().then(function (token) {
        return fetchJson(self.api + '/api/comments/' + encodeURIComponent(id) + '/reports', {
          method: 'POST',
          credentials: 'omit',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ reason: checked ? checked.value : 'other', note: note.value.trim() || undefined, formToken: token, readerToken: store.get(readerKey) || undefined }),
        });
      }).then(function (r) {
        var error = (r.body && r.body.error) || {};
        if (r.res.ok) {
          if (r.body && r.body.readerToken) store.set(readerKey, r.body.readerToken);
          set.hidden = true;
          note.hidden = true;
          form.querySelector('label[for="' + uid + '-note"]').hidden = true;
          send.hidden = true;
          cancel.textContent = 'Close';
          said.className = 'cm-status';
          said.textContent = TEXT.reportThanks;
          return;
        }
        said.className = 'cm-status cm-bad';
        said.textContent = r.res.status === 404 ? TEXT.reportGone : error.message || TEXT.failed;
      }, function () {
        said.className = 'cm-status cm-bad';
        said.textContent = TEXT.offline;
      }).then(function () {
        send.disabled = false;
      });
    });
    art.appendChild(form);
    button.setAttribute('aria-expanded', 'true');
    button.setAttribute('aria-controls', uid);
    form.querySelector('input[type=radio]').focus();
  };

  /* ---------- the submitter's own pending comments (this browser only) ---------- */

  Thread.prototype.pending = function () {
    var now = Date.now();
    var list = store.get(this.pendingKey);
    return Array.isArray(list) ? list.filter(function (p) { return p && p.id && now - p.savedAt < MAX_PENDING_AGE_MS; }) : [];
  };

  Thread.prototype.dropPending = function (id) {
    store.set(this.pendingKey, this.pending().filter(function (p) { return p.id !== id; }));
    var shown = this.shown[id];
    if (shown && shown.classList.contains('cm-pending')) {
      shown.parentNode.removeChild(shown);
      delete this.shown[id];
    }
    this.updateEmpty();
  };

  /** Shows stored pending comments not (yet) in the listing, each under its parent when that is shown. */
  Thread.prototype.showPending = function () {
    var self = this;
    this.pending().forEach(function (p) {
      if (self.shown[p.id]) return;
      var parent = p.parentId && self.shown[p.parentId];
      var into = parent ? parent.querySelector('.cm-children') : self.list;
      into.appendChild(self.renderComment(p, true));
    });
    this.updateEmpty();
  };

  Thread.prototype.checkPending = function () {
    var self = this;
    this.pending().forEach(function (p) {
      self.poll(p.id, Date.now() - p.savedAt < 10 * 60 * 1000 ? POLL_DELAYS_MS : [0]);
    });
  };

  /** Asks the status URL now and then; approved → reload the list, rejected → say so and drop it. */
  Thread.prototype.poll = function (id, delays) {
    var self = this;
    var i = 0;
    function next() {
      if (i >= delays.length) return;
      sleep(delays[i++]).then(function () {
        return fetchJson(self.api + '/api/comments/' + encodeURIComponent(id), { credentials: 'omit', cache: 'no-store' });
      }).then(function (r) {
        var status = r.body && r.body.status;
        if (r.res.status === 404) return self.dropPending(id);
        if (status === 'approved') {
          self.dropPending(id);
          // The banner above the button said "awaiting moderation" about this comment: not any more.
          if (self.status.textContent === TEXT.awaiting && self.lastSent === id) self.say(TEXT.published, false);
          return self.loadPage(true).then(function () { self.flash(id); });
        }
        if (status === 'rejected') {
          self.dropPending(id);
          var why = (r.body.fields || []).map(function (f) { return f.message; }).join(' ');
          return self.say(TEXT.rejected + (why ? ' ' + why : ''), true);
        }
        next();
      }, next);
    }
    next();
  };

  Thread.prototype.flash = function (id) {
    var li = this.shown[id];
    if (!li) return;
    li.classList.add('cm-flash');
    setTimeout(function () { li.classList.remove('cm-flash'); }, 4000);
  };

  Thread.prototype.revealHash = function () {
    var m = /^#comment-([0-9a-f-]{36})$/i.exec(location.hash);
    var li = m && this.shown[m[1].toLowerCase()];
    if (li) {
      li.scrollIntoView({ block: 'center' });
      this.flash(m[1].toLowerCase());
    }
  };

  /* ---------- the form ---------- */

  Thread.prototype.buildForm = function () {
    var self = this;
    var uid = 'cm' + Math.random().toString(36).slice(2, 8);
    var respond = el('div', 'cm-respond');
    var title = el('h3', 'cm-block-title');
    title.appendChild(el('span', '', TEXT.title));
    this.cancel = el('a', '', TEXT.cancel, { href: '#', role: 'button' });
    this.cancel.hidden = true;
    this.cancel.addEventListener('click', function (e) {
      e.preventDefault();
      self.replyTo(null, null);
    });
    title.appendChild(this.cancel);
    respond.appendChild(title);

    var form = el('form', '', null, { novalidate: '', 'aria-label': TEXT.title });
    this.fields = {};
    function field(name, tag, type, placeholder, label, autocomplete) {
      var wrap = el('div', 'cm-field');
      var id = uid + '-' + name;
      wrap.appendChild(el('label', 'cm-sr', label, { for: id }));
      var input = el(tag, '', null, { id: id, name: name, placeholder: placeholder, 'aria-describedby': id + '-err' });
      if (type) input.type = type;
      if (autocomplete) input.setAttribute('autocomplete', autocomplete);
      input.addEventListener('input', function () {
        self.fieldError(name, '');
        self.idempotencyKey = null;
      });
      wrap.appendChild(input);
      wrap.appendChild(el('p', 'cm-error', null, { id: id + '-err' }));
      self.fields[name] = input;
      return wrap;
    }
    form.appendChild(field('comment', 'textarea', null, TEXT.comment, 'Comment', null));
    var row = el('div', 'cm-row');
    row.appendChild(field('author', 'input', 'text', TEXT.name, 'Name (required)', 'name'));
    row.appendChild(field('email', 'input', 'email', TEXT.email, 'Email (required, not published)', 'email'));
    row.appendChild(field('url', 'input', 'url', TEXT.website, 'Website', 'url'));
    form.appendChild(row);

    // The honeypot: hidden from people (and from screen readers), tempting to form-filling bots.
    var hp = el('p', 'cm-hp', null, { 'aria-hidden': 'true' });
    var hpLabel = el('label', '', 'Leave this field empty ');
    this.honeypot = el('input', '', null, { name: 'hp_url', type: 'text', tabindex: '-1', autocomplete: 'off' });
    hpLabel.appendChild(this.honeypot);
    hp.appendChild(hpLabel);
    form.appendChild(hp);

    var save = el('p', 'cm-save');
    this.saveBox = el('input', '', null, { id: uid + '-save', type: 'checkbox', name: 'save' });
    save.appendChild(this.saveBox);
    save.appendChild(el('label', '', TEXT.save, { for: uid + '-save' }));
    form.appendChild(save);

    this.status = el('p', 'cm-status', null, { role: 'status', 'aria-live': 'polite' });
    form.appendChild(this.status);
    this.submit = el('button', 'cm-submit', TEXT.post, { type: 'submit' });
    form.appendChild(this.submit);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      self.send();
    });
    respond.appendChild(form);

    var saved = store.get(this.savedKey);
    if (saved && typeof saved === 'object') {
      this.fields.author.value = saved.name || '';
      this.fields.email.value = saved.email || '';
      this.fields.url.value = saved.url || '';
      this.saveBox.checked = true;
    }
    this.respond = respond;
    this.parentId = null;
    return respond;
  };

  /** Moves the form under a comment (a reply) or back to the end (parentId null). */
  Thread.prototype.replyTo = function (parentId, li) {
    this.parentId = parentId;
    this.cancel.hidden = !parentId;
    this.idempotencyKey = null;
    if (li) li.insertBefore(this.respond, li.querySelector('.cm-children'));
    else this.root.appendChild(this.respond);
    if (parentId) this.fields.comment.focus();
  };

  Thread.prototype.fieldError = function (name, message) {
    var input = this.fields[name];
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
    input.parentNode.querySelector('.cm-error').textContent = message;
  };

  Thread.prototype.say = function (message, bad) {
    clearInterval(this.countdown);
    this.status.setAttribute('aria-live', 'polite');
    this.status.textContent = message;
    this.status.classList.toggle('cm-bad', !!bad);
  };

  /** "… Try again in N seconds.", counting down each second, then that the reader may post again. */
  Thread.prototype.sayWait = function (message, seconds) {
    var self = this;
    var until = Date.now() + seconds * 1000;
    function text() {
      var left = Math.ceil((until - Date.now()) / 1000);
      return left > 0 ? message + ' Try again in ' + (left === 1 ? '1 second.' : left + ' seconds.') : null;
    }
    this.say(text(), true);
    this.countdown = setInterval(function () {
      var t = text();
      if (!t) return self.say(TEXT.canPostAgain, false);
      // A live region re-read every second would chatter: screen readers hear the first and last message only.
      self.status.setAttribute('aria-live', 'off');
      self.status.textContent = t;
    }, 1000);
  };

  Thread.prototype.fetchToken = function () {
    var self = this;
    // The spam check's signed form token; a service without the endpoint (404) is sent no token.
    this.tokenRequest = fetchJson(this.api + '/api/form-token?articleId=' + encodeURIComponent(this.articleId), { credentials: 'omit', cache: 'no-store' })
      .then(function (r) {
        self.token = r.res.ok && r.body && r.body.token ? r.body : null;
      }, function () {
        self.token = null;
      });
    return this.tokenRequest;
  };

  Thread.prototype.freshToken = function () {
    var self = this;
    return this.tokenRequest.then(function () {
      var t = self.token;
      if (t && t.expiresAt && Date.parse(t.expiresAt) - 60000 < Date.now()) return self.fetchToken();
    }).then(function () {
      return self.token ? self.token.token : null;
    });
  };

  /**
   * name@host.tld as /^[^\s@]+@[^\s@]+\.[^\s@]+$/ means it, without its overlapping runs (quadratic
   * on "a@" and many dots): one "@", no spaces, and a dot in the host with something on each side.
   */
  function looksLikeEmail(v) {
    var m = /^[^\s@]+@([^\s@]+)$/.exec(v);
    return !!m && /[^]\.[^]/.test(m[1]);
  }

  /** Client-side checks in the site's words; true when the form may be sent. */
  Thread.prototype.validate = function () {
    var f = this.fields;
    var problems = [];
    if (!f.comment.value.trim()) problems.push(['comment', TEXT.noBody]);
    if (!f.author.value.trim()) problems.push(['author', TEXT.noName]);
    if (!f.email.value.trim()) problems.push(['email', TEXT.noEmail]);
    else if (!looksLikeEmail(f.email.value.trim())) problems.push(['email', TEXT.badEmail]);
    var self = this;
    ['comment', 'author', 'email', 'url'].forEach(function (n) { self.fieldError(n, ''); });
    problems.forEach(function (p) { self.fieldError(p[0], p[1]); });
    if (problems.length) f[problems[0][0]].focus();
    return !problems.length;
  };

  Thread.prototype.send = function () {
    var self = this;
    var f = this.fields;
    this.say('');
    if (!this.validate() || this.submit.disabled) return Promise.resolve();
    this.submit.disabled = true;
    this.submit.textContent = TEXT.posting;
    this.idempotencyKey = this.idempotencyKey || newKey();
    var comment = {
      articleId: this.articleId,
      parentId: this.parentId,
      authorName: f.author.value.trim(),
      authorEmail: f.email.value.trim(),
      authorUrl: f.url.value.trim() || null,
      body: f.comment.value,
      honeypot: this.honeypot.value,
    };
    return this.freshToken().then(function (token) {
      comment.formToken = token;
      return fetchJson(self.api + '/api/comments', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': self.idempotencyKey },
        body: JSON.stringify(comment),
      });
    }).then(function (r) {
      if (r.res.status === 202 && r.body && r.body.id) return self.accepted(r.body.id, comment);
      self.refused(r.res, r.body);
    }, function () {
      self.say(TEXT.offline, true);
    }).then(function () {
      self.submit.disabled = false;
      self.submit.textContent = TEXT.post;
    });
  };

  Thread.prototype.accepted = function (id, comment) {
    var f = this.fields;
    store.set(this.savedKey, this.saveBox.checked ? { name: comment.authorName, email: comment.authorEmail, url: f.url.value.trim() } : null);
    var mine = {
      id: id,
      parentId: comment.parentId,
      authorName: comment.authorName,
      authorUrl: comment.authorUrl,
      body: comment.body,
      createdAt: new Date().toISOString(),
      savedAt: Date.now(),
    };
    store.set(this.pendingKey, this.pending().concat([mine]));
    f.comment.value = '';
    this.idempotencyKey = null;
    this.replyTo(null, null);
    this.showPending();
    this.say(TEXT.awaiting, false);
    this.lastSent = id;
    this.showMine(id);
    this.fetchToken();
    this.poll(id, POLL_DELAYS_MS);
  };

  /** Keeps the reader's place: their new comment (a reply may be far up the page) scrolled to and focused. */
  Thread.prototype.showMine = function (id) {
    var li = this.shown[id];
    if (!li) return;
    li.setAttribute('tabindex', '-1');
    this.flash(id);
    if (li.scrollIntoView) li.scrollIntoView({ block: 'center' });
    li.focus({ preventScroll: true });
  };

  /** The API's refusal in words: field messages next to their fields, the rest above the button. */
  Thread.prototype.refused = function (res, body) {
    var self = this;
    var error = (body && body.error) || {};
    if (res.status === 422 && Array.isArray(error.fields)) {
      var general = [];
      error.fields.forEach(function (fe) {
        var name = API_FIELDS[fe.field];
        if (name) self.fieldError(name, fe.message);
        else general.push(fe.message);
      });
      return this.say(general.join(' ') || error.message || TEXT.failed, true);
    }
    if (res.status === 429) {
      var wait = Number(res.headers.get('Retry-After'));
      if (wait > 0) return this.sayWait(error.message || TEXT.tooFast, wait);
      return this.say(error.message || TEXT.tooFast, true);
    }
    if (res.status === 503) return this.say(error.message || TEXT.unavailable, true);
    if (res.status === 403 && error.code === 'comments_closed') return this.applyState({ closed: true, message: error.articleMessage || null });
    this.say(error.message || TEXT.failed, true);
  };

  /* ---------- comment counts on index pages ---------- */

  function fillCounts() {
    var nodes = Array.prototype.slice.call(document.querySelectorAll('[data-comment-count]'));
    if (!nodes.length) return;
    var base = apiBase(nodes[0]);
    var ids = [];
    nodes.forEach(function (n) {
      var id = n.getAttribute('data-comment-count');
      if (id && ids.indexOf(id) < 0) ids.push(id);
    });
    for (var i = 0; i < ids.length; i += 100) {
      fetchJson(base + '/api/articles/counts?ids=' + encodeURIComponent(ids.slice(i, i + 100).join(',')), { credentials: 'omit' }).then(function (r) {
        var counts = (r.body && r.body.counts) || {};
        nodes.forEach(function (n) {
          var c = counts[n.getAttribute('data-comment-count')];
          if (typeof c === 'number') n.textContent = c === 0 ? 'No comments' : c === 1 ? '1 comment' : c + ' comments';
        });
      }, function () { /* counts are decoration: leave the placeholder */ });
    }
  }

  function start() {
    var containers = document.querySelectorAll('#comments[data-article-id], [data-comments][data-article-id]');
    Array.prototype.forEach.call(containers, function (c) {
      if (c.getAttribute('data-cm-mounted')) return;
      c.setAttribute('data-cm-mounted', '1');
      new Thread(c).mount();
    });
    fillCounts();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
