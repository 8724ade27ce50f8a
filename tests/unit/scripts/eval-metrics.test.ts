import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { computeMetrics, type EvalMetrics, type EvaluatedComment, roundMetrics } from '../../../scripts/lib/eval-metrics';

const fixture = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/eval-metrics-10.json'), 'utf8')) as {
  rows: EvaluatedComment[];
  expected: EvalMetrics;
};

describe('computeMetrics', () => {
  it('matches the hand-computed metrics of the 10-row fixture', () => {
    // Arrange
    const { rows, expected } = fixture;

    // Act
    const metrics = computeMetrics(rows);

    // Assert
    for (const key of Object.keys(expected) as (keyof EvalMetrics)[]) {
      expect(metrics[key]).toBeCloseTo(expected[key], 5);
    }
  });

  it('gives 0, not NaN, when a class is absent', () => {
    // Arrange
    const onlyHam: EvaluatedComment[] = [{ label: 'ham', status: 'approved' }];

    // Act
    const metrics = computeMetrics(onlyHam);

    // Assert
    expect(metrics).toEqual({ n: 1, accuracy: 1, precision: 0, recall: 0, f1: 0, mcc: 0, spamPublished: 0, hamBlocked: 0, hamHeld: 0, f1NotPublished: 0 });
  });

  it('rounds to 4 decimals for printing', () => {
    // Act
    const rounded = roundMetrics(computeMetrics(fixture.rows));

    // Assert
    expect(rounded.f1).toBe(0.6667);
    expect(rounded.mcc).toBe(0.4082);
  });
});
