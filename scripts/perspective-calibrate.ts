import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CALIBRATION_PATH, fitPlatt, type PerspectiveCalibration } from '../src/http/perspective/calibration';
import { CIVILITY_ATTRIBUTES, readShippedCivilityModel, CivilityModel } from '../src/models/civility';
import { snapshotDigest } from '../src/models/model-store';
import { calibrationRows } from './lib/perspective-calibration-rows';
import { DEFAULT_DATA_DIR } from './lib/shared-data';

/**
 * `npm run perspective:calibrate`: fits the Perspective endpoint's calibration (src/http/perspective/
 * calibration.ts) for the shipped civility model and writes models/perspective-calibration.json.
 * Run it after every `npm run train` that changes the civility model (a unit test checks the pair).
 */
function main(): void {
  const snapshot = readShippedCivilityModel();
  const model = CivilityModel.fromJSON(snapshot);
  const rows = calibrationRows(model, process.argv[2] ?? DEFAULT_DATA_DIR);
  const attributes = Object.fromEntries(
    CIVILITY_ATTRIBUTES.map((attr) => [attr, fitPlatt(rows.map((r) => ({ score: r.scores[attr], target: r.ratings[attr], weight: r.weight })))]),
  ) as PerspectiveCalibration['attributes'];
  const cal: PerspectiveCalibration = {
    civilityModelDigest: snapshotDigest(snapshot),
    fittedOn: `Civil Comments validation rows (${rows.length}), weighted to a site with 8% rated toxic`,
    attributes,
  };
  writeFileSync(resolve(process.cwd(), CALIBRATION_PATH), `${JSON.stringify(cal, null, 2)}\n`);
  process.stdout.write(`${CALIBRATION_PATH}: ${JSON.stringify(attributes)}\n`);
}

main();
