import { calibrated, fitPlatt, readCalibration } from '../../../src/http/perspective/calibration';
import { CIVILITY_ATTRIBUTES, readShippedCivilityModel } from '../../../src/models/civility';
import { snapshotDigest } from '../../../src/models/model-store';

describe('Perspective calibration', () => {
  it('is shipped for the shipped civility model (after npm run train, run npm run perspective:calibrate)', () => {
    const cal = readCalibration();
    expect(cal).not.toBeNull();
    expect(cal!.civilityModelDigest).toBe(snapshotDigest(readShippedCivilityModel()));
    for (const attr of CIVILITY_ATTRIBUTES) expect(cal!.attributes[attr].a).toBeGreaterThan(0);
  });

  it('is monotone and keeps 0..1', () => {
    const cal = readCalibration();
    let last = -1;
    for (const s of [0, 1e-9, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1]) {
      const v = calibrated(cal, 'toxicity', s);
      expect(v).toBeGreaterThanOrEqual(last);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      last = v;
    }
  });

  it('fitPlatt recovers a known mapping from soft targets', () => {
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const points = Array.from({ length: 200 }, (_, i) => {
      const x = -4 + (8 * i) / 199;
      return { score: sigmoid(x), target: sigmoid(0.5 * x - 1), weight: 1 };
    });
    const { a, b } = fitPlatt(points);
    expect(a).toBeCloseTo(0.5, 4);
    expect(b).toBeCloseTo(-1, 4);
  });
});
