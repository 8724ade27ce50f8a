import { loadYoutubeCsv } from '../scripts/lib/youtube-csv';
import { trainSpamModel, type TrainingExample } from '../src/moderation/classifier/train-model';
const files = ['Youtube01-Psy.csv', 'Youtube02-KatyPerry.csv', 'Youtube03-LMFAO.csv'];
const data = files.map((f) => loadYoutubeCsv(`data/youtube-spam/${f}`).map((r): TrainingExample => ({ input: { body: r.content, authorName: r.author }, label: r.label, group: r.source })));
const sh = process.argv[2] === '1';
for (let t = 0; t < 3; t++) {
  const model = trainSpamModel(data.filter((_, i) => i !== t).flat(), { alpha: 1, maxFeatureWeight: 4, tokenizer: { bigrams: true, authorName: true, shapes: sh } });
  const scored = data[t]!.map((e) => ({ e, ...model.classify(e.input) }));
  const ham = scored.filter((s) => s.e.label === 'ham').sort((a, b) => b.spamProbability - a.spamProbability);
  const spam = scored.filter((s) => s.e.label === 'spam').sort((a, b) => a.spamProbability - b.spamProbability);
  console.log('=====', files[t], model.params.calibration);
  console.log('-- top ham');
  for (const s of ham.slice(0, 12)) console.log(s.spamProbability.toFixed(3), JSON.stringify(s.e.input.body.slice(0, 100)), s.topTokens.map((x) => `${x.token}:${x.weight.toFixed(1)}`).join(' '));
  console.log('-- bottom spam');
  for (const s of spam.slice(0, 30)) console.log(s.spamProbability.toFixed(3), JSON.stringify(s.e.input.body.slice(0, 100)), s.topTokens.map((x) => `${x.token}:${x.weight.toFixed(1)}`).join(' '));
}
