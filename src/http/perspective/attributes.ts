import type { CivilityAttribute } from './civility-port';

/**
 * Perspective's attribute names → the civility model's scores. PROFANITY is the model's `obscene`.
 * Perspective's `_EXPERIMENTAL` names (TOXICITY_EXPERIMENTAL, …) answer from the same scores, so
 * clients written against either spelling keep working.
 */
const PRODUCTION: Readonly<Record<string, CivilityAttribute>> = Object.freeze({
  TOXICITY: 'toxicity',
  SEVERE_TOXICITY: 'severe_toxicity',
  INSULT: 'insult',
  THREAT: 'threat',
  IDENTITY_ATTACK: 'identity_attack',
  PROFANITY: 'obscene',
});

const EXPERIMENTAL_SUFFIX = '_EXPERIMENTAL';

/** Every attribute name answered, production names first. */
export const PERSPECTIVE_ATTRIBUTES: readonly string[] = [
  ...Object.keys(PRODUCTION),
  ...Object.keys(PRODUCTION).map((name) => `${name}${EXPERIMENTAL_SUFFIX}`),
];

/** The civility score behind a Perspective attribute name, or undefined when we do not have it. */
export function civilityAttributeOf(name: string): CivilityAttribute | undefined {
  const base = name.endsWith(EXPERIMENTAL_SUFFIX) ? name.slice(0, -EXPERIMENTAL_SUFFIX.length) : name;
  return Object.hasOwn(PRODUCTION, base) ? PRODUCTION[base] : undefined;
}
