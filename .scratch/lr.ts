import { data, files, summary } from './lib';
import { tokenize, type TokenizerOptions } from '../src/moderation/classifier/tokenizer';
import { trainSpamModel } from '../src/moderation/classifier/train-model';

function trainLR(docs: string[][], y: number[], l2: number, iters = 300) {
  const w = new Map<string, number>(); let b = 0;
  const lr = 0.5;
  // full-batch gradient descent with adagrad
  const g2 = new Map<string, number>(); let gb2 = 0;
  for (let it = 0; it < iters; it++) {
    const grad = new Map<string, number>(); let gb = 0;
    for (let i = 0; i < docs.length; i++) {
      let z = b; for (const t of docs[i]!) z += w.get(t) ?? 0;
      const p = 1 / (1 + Math.exp(-z)); const d = p - y[i]!;
      gb += d; for (const t of docs[i]!) grad.set(t, (grad.get(t) ?? 0) + d);
    }
    const n = docs.length;
    for (const [t, g0] of grad) { const g = g0 / n + l2 * (w.get(t) ?? 0); const acc = (g2.get(t) ?? 0) + g * g; g2.set(t, acc); w.set(t, (w.get(t) ?? 0) - lr * g / Math.sqrt(acc + 1e-8)); }
    gb /= n; gb2 += gb * gb; b -= lr * gb / Math.sqrt(gb2 + 1e-8);
  }
  return (doc: string[]) => { let z = b; for (const t of doc) z += w.get(t) ?? 0; return z; };
}
const opts: TokenizerOptions[] = [
  { bigrams: true, authorName: false, shapes: true },
  { bigrams: true, authorName: false, shapes: false },
  { bigrams: false, authorName: false, shapes: true },
  { bigrams: true, authorName: true, shapes: true },
];
for (const tok of opts) {
  for (const l2 of [1e-4, 1e-3, 3e-3]) {
    const all: { p: number; spam: boolean; g: string }[] = [];
    for (let t = 0; t < 3; t++) {
      const train = data.filter((_, i) => i !== t).flat();
      const f = trainLR(train.map((e) => tokenize(e.input, tok)), train.map((e) => (e.label === 'spam' ? 1 : 0)), l2);
      for (const e of data[t]!) all.push({ p: f(tokenize(e.input, tok)), spam: e.label === 'spam', g: files[t]! });
    }
    summary(`LR l2=${l2} ${JSON.stringify(tok)}`, all);
  }
  const all: { p: number; spam: boolean; g: string }[] = [];
  for (let t = 0; t < 3; t++) {
    const m = trainSpamModel(data.filter((_, i) => i !== t).flat(), { alpha: 1, maxFeatureWeight: 4, tokenizer: tok });
    for (const e of data[t]!) all.push({ p: m.classify(e.input).spamProbability, spam: e.label === 'spam', g: files[t]! });
  }
  summary(`NB ${JSON.stringify(tok)}`, all);
}
