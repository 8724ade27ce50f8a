import { data, files } from './lib';
import { scanLinks } from '../src/moderation/classifier/url-features';
import { normalise } from '../src/moderation/classifier/tokenizer';
for (let t = 0; t < 3; t++) {
  const c = { spamL: 0, spam: 0, hamL: 0, ham: 0 };
  const hamLinks: string[] = [];
  for (const e of data[t]!) {
    const s = scanLinks(normalise(e.input.body));
    const has = s.linkCount > 0;
    if (e.label === 'spam') { c.spam++; if (has) c.spamL++; } else { c.ham++; if (has) { c.hamL++; hamLinks.push(s.features.join(',') + ' <= ' + e.input.body.slice(0, 80)); } }
  }
  console.log(files[t], c); for (const h of hamLinks) console.log('   ', h);
}
