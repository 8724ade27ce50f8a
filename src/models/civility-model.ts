import { DELTA_UNIT, MAX_LESSON_SHIFT, roundWeight, sigmoid } from './logistic-model';
import {
  CIVILITY_FEATURE_VERSION,
  civilityFeatures,
  DEFAULT_CIVILITY_TOKENIZER,
  isFunctionWord,
  isTrainedOnly,
  type CivilityFeature,
  type CivilityTokenizerOptions,
} from './civility-tokenizer';
import type { StoredSnapshot } from './model-store';

export const CIVILITY_ATTRIBUTES = ['toxicity', 'severe_toxicity', 'insult', 'threat', 'identity_attack', 'obscene'] as const;
export type CivilityAttribute = (typeof CIVILITY_ATTRIBUTES)[number];

/** What a moderator's decision teaches: approving a held comment says `civil`, "hold as abusive" says `abusive`. */
export type CivilityLabel = 'civil' | 'abusive';

/** What the civility model sees of a comment: its text. */
export interface CivilityInput {
  text: string;
}

/**
 * Scores and the words behind them. Each score is the model's estimate of the share of crowd raters
 * who would give the comment that attribute (see docs/civility.md, "Calibration"): 0.8 on `toxicity`
 * reads "about 80% of raters would call it toxic".
 */
export interface CivilityAssessment {
  scores: Record<CivilityAttribute, number>;
  /** Content words that raised a score, strongest first, with offsets into the input text. */
  evidence: Array<{ word: string; start: number; end: number; attribute: CivilityAttribute; weight: number }>;
}

/** Options of one assessment: words the site accepts ("liar" on a politics desk) count for nothing. */
export interface AssessOptions {
  allow?: ReadonlySet<string>;
  /**
   * false: scores only, no evidence (cheaper). A function: evidence only when it answers true for the
   * scores, from the same reading of the text (the check asks for evidence only for comments it holds).
   */
  evidence?: boolean | ((scores: Readonly<Record<CivilityAttribute, number>>) => boolean);
}

export interface CivilityScorer {
  assess(text: string, opts?: AssessOptions): CivilityAssessment;
}

/**
 * Serialised model, in the shape every stored text model has (model-store's StoredSnapshot). Rows are
 * `attribute|feature` (one weight per attribute head over one shared feature set), and each head's
 * bias is the row `attribute|$bias`; the header's `bias` is unused (0).
 */
export interface CivilitySnapshot extends StoredSnapshot {
  format: 'civility-logistic';
  tokenizer: CivilityTokenizerOptions;
}

const HEADS = CIVILITY_ATTRIBUTES.length;
const BIAS = '$bias';
/** Lessons teach the head that decides what is held; the others only name the kind. */
const TAUGHT: CivilityAttribute = 'toxicity';
const TAUGHT_HEAD = CIVILITY_ATTRIBUTES.indexOf(TAUGHT);
/** Contributions under this (log-odds) are not evidence. */
const MIN_EVIDENCE = 0.05;
/** Evidence entries kept per attribute. */
const EVIDENCE_PER_ATTRIBUTE = 8;

function headIndex(name: string): number {
  return CIVILITY_ATTRIBUTES.indexOf(name as CivilityAttribute);
}

/** Splits a row name `attribute|feature`; null when the attribute is unknown. */
function splitRow(row: string): { head: number; feature: string } | null {
  const bar = row.indexOf('|');
  if (bar < 0) return null;
  const head = headIndex(row.slice(0, bar));
  return head < 0 ? null : { head, feature: row.slice(bar + 1) };
}

/**
 * Whether a lesson may move a feature: content words, pairs with a content word, and words aimed at
 * the reader. Function words ("the", "you", "of") and the text's shapes are in nearly every comment,
 * held or not; lessons on held comments would push them all one way and drift every reader towards
 * held (the spam model's lesson, docs/spam-eval.md), so training alone sets them.
 */
export function learnsOnline(feature: string): boolean {
  if (feature === BIAS || isTrainedOnly(feature)) return false;
  const words = (feature.startsWith('@') ? feature.slice(1) : feature).split(' ');
  return words.some((w) => !isFunctionWord(w));
}

/**
 * Multi-head logistic regression over a comment's features (civility-tokenizer.ts): one weight per
 * attribute for each feature, so the text is read once for all six scores. Trained on the share of
 * raters (soft labels), so each score estimates that share. Lessons move the `toxicity` head only,
 * bounded like the spam model's (MAX_LESSON_SHIFT) and exactly undoable through the store.
 */
export class CivilityModel implements CivilityScorer {
  private readonly weights = new Map<string, Float64Array>();
  private readonly seen = new Map<string, Float64Array>();
  private readonly bias = new Float64Array(HEADS);

  constructor(
    readonly learningRate: number,
    readonly tokenizer: CivilityTokenizerOptions = DEFAULT_CIVILITY_TOKENIZER,
  ) {}

  get size(): number {
    return this.weights.size;
  }

  /** A row's weight and count (`attribute|feature`; `attribute|$bias` for the bias). */
  weight(row: string): number {
    const r = splitRow(row);
    if (!r) return 0;
    return r.feature === BIAS ? (this.bias[r.head] as number) : (this.weights.get(r.feature)?.[r.head] ?? 0);
  }

  count(row: string): number {
    const r = splitRow(row);
    return r ? (this.seen.get(r.feature)?.[r.head] ?? 0) : 0;
  }

  /** Sets one stored row (loading or training); rows of unknown attributes are ignored. */
  set(row: string, weight: number, count: number): void {
    const r = splitRow(row);
    if (!r) return;
    if (r.feature === BIAS) {
      this.bias[r.head] = weight;
      return;
    }
    let w = this.weights.get(r.feature);
    let c = this.seen.get(r.feature);
    if (!w || !c) {
      w = new Float64Array(HEADS);
      c = new Float64Array(HEADS);
      this.weights.set(r.feature, w);
      this.seen.set(r.feature, c);
    }
    w[r.head] = weight;
    c[r.head] = count;
  }

  /** Per-head log-odds of already-extracted features. */
  logits(features: readonly CivilityFeature[]): Float64Array {
    const z = Float64Array.from(this.bias);
    for (const f of features) {
      const w = this.weights.get(f.feature);
      if (!w) continue;
      for (let h = 0; h < HEADS; h += 1) z[h] += (w[h] as number) * f.value;
    }
    return z;
  }

  assess(text: string, opts: AssessOptions = {}): CivilityAssessment {
    const features = civilityFeatures(text, this.tokenizer, opts.allow);
    const z = this.logits(features);
    const scores = {} as Record<CivilityAttribute, number>;
    CIVILITY_ATTRIBUTES.forEach((a, h) => (scores[a] = sigmoid(z[h] as number)));
    const explain = typeof opts.evidence === 'function' ? opts.evidence(scores) : opts.evidence !== false;
    return { scores, evidence: explain ? this.evidence(text, features) : [] };
  }

  /** The content words that raised each score, summed per span (a word, its pair, aimed at the reader). */
  private evidence(text: string, features: readonly CivilityFeature[]): CivilityAssessment['evidence'] {
    const bySpan = new Map<string, { start: number; end: number; head: number; weight: number }>();
    for (const f of features) {
      if (f.start < 0) continue;
      const w = this.weights.get(f.feature);
      if (!w) continue;
      for (let h = 0; h < HEADS; h += 1) {
        const c = (w[h] as number) * f.value;
        if (c <= 0) continue;
        const key = `${h}:${f.start}:${f.end}`;
        const entry = bySpan.get(key);
        if (entry) entry.weight += c;
        else bySpan.set(key, { start: f.start, end: f.end, head: h, weight: c });
      }
    }
    const out: CivilityAssessment['evidence'] = [];
    const perHead = new Array<number>(HEADS).fill(0);
    const sorted = [...bySpan.values()].filter((e) => e.weight >= MIN_EVIDENCE).sort((a, b) => b.weight - a.weight || a.start - b.start || a.head - b.head);
    for (const e of sorted) {
      if ((perHead[e.head] as number) >= EVIDENCE_PER_ATTRIBUTE) continue;
      perHead[e.head] += 1;
      out.push({ word: text.slice(e.start, e.end), start: e.start, end: e.end, attribute: CIVILITY_ATTRIBUTES[e.head] as CivilityAttribute, weight: roundWeight(e.weight) });
    }
    return out;
  }

  /** The stored rows a lesson on `input` reads: the taught head's bias and its rows for the comment's features. */
  features(input: CivilityInput): string[] {
    return [`${TAUGHT}|${BIAS}`, ...civilityFeatures(input.text, this.tokenizer).map((f) => `${TAUGHT}|${f.feature}`)];
  }

  /**
   * One step of online gradient descent on the toxicity head, towards 1 (`abusive`) or 0 (`civil`),
   * over the features a lesson may move (see `learnsOnline`), each step shrinking as 1/√(1 + lessons
   * and training comments seen with it); the whole step moves this comment's log-odds by at most
   * MAX_LESSON_SHIFT. Deltas are whole units of DELTA_UNIT, so the store can take them back exactly.
   */
  learn(input: CivilityInput, label: CivilityLabel): { label: CivilityLabel; deltas: { feature: string; weight: number }[] } {
    const features = civilityFeatures(input.text, this.tokenizer);
    const z = this.logits(features)[TAUGHT_HEAD] as number;
    const error = (label === 'abusive' ? 1 : 0) - sigmoid(z);
    const steps = features
      .filter((f) => learnsOnline(f.feature))
      .map((f) => {
        const row = `${TAUGHT}|${f.feature}`;
        return { row, value: f.value, weight: (this.learningRate * error * f.value) / Math.sqrt(1 + this.count(row)) };
      });
    let shift = 0;
    for (const s of steps) shift += Math.abs(s.weight * s.value);
    const scale = shift > MAX_LESSON_SHIFT ? MAX_LESSON_SHIFT / shift : 1;
    const deltas = steps.map((s) => ({ feature: s.row, weight: Math.round((s.weight * scale) / DELTA_UNIT) * DELTA_UNIT })).filter((d) => d.weight !== 0);
    for (const d of deltas) this.set(d.feature, this.weight(d.feature) + d.weight, this.count(d.feature) + 1);
    return { label, deltas };
  }

  toJSON(): CivilitySnapshot {
    const rows: [string, number, number][] = [];
    CIVILITY_ATTRIBUTES.forEach((a, h) => rows.push([`${a}|${BIAS}`, roundWeight(this.bias[h] as number), 0]));
    for (const [feature, w] of this.weights) {
      const c = this.seen.get(feature) as Float64Array;
      CIVILITY_ATTRIBUTES.forEach((a, h) => {
        if (w[h] !== 0 || c[h] !== 0) rows.push([`${a}|${feature}`, roundWeight(w[h] as number), c[h] as number]);
      });
    }
    rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { format: 'civility-logistic', featureVersion: CIVILITY_FEATURE_VERSION, tokenizer: { ...this.tokenizer }, bias: 0, learningRate: this.learningRate, features: rows };
  }

  /** Rebuilds a model; refuses other formats or feature versions rather than misread them. */
  static fromJSON(snapshot: CivilitySnapshot): CivilityModel {
    if (snapshot?.format !== 'civility-logistic') throw new Error(`unknown civility model format ${String(snapshot?.format)}`);
    if (snapshot.featureVersion !== CIVILITY_FEATURE_VERSION) {
      throw new Error(`civility model has feature version ${snapshot.featureVersion}, this code reads ${CIVILITY_FEATURE_VERSION}: retrain it`);
    }
    const model = new CivilityModel(snapshot.learningRate, { ...DEFAULT_CIVILITY_TOKENIZER, ...snapshot.tokenizer });
    for (const [row, weight, count] of snapshot.features) model.set(row, weight, count);
    return model;
  }
}
