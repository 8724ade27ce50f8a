// Reads the jest --json reports scripts/soak.sh writes: one line per run, and a summary of every failed test.
// Plain JS so the soak needs no build step.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function readReport(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null; // jest never wrote it: type errors, a crash, a hang killed from outside
  }
}

/** The first stack frame inside the test file itself: the line of the assertion (or hook) that failed. */
function failureLine(testFile, messages, fallbackLine) {
  const rel = path.relative(ROOT, testFile);
  const escaped = testFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`${escaped}:(\\d+):\\d+`);
  for (const message of messages) {
    const m = frame.exec(message);
    if (m) return `${rel}:${m[1]}`;
  }
  return fallbackLine ? `${rel}:${fallbackLine}` : rel;
}

/** Every failure in one report: { key: "file:line — title", firstLine: message }. */
function failuresOf(report) {
  const out = [];
  for (const suite of report.testResults ?? []) {
    const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests) {
      const where = failureLine(suite.name, t.failureMessages ?? [], t.location?.line);
      out.push({ key: `${where} — ${t.fullName}`, message: firstLine(t.failureMessages?.[0]) });
    }
    // A suite that failed without a failed test: it did not load, or a beforeAll/afterAll hook threw.
    if (suite.status === 'failed' && failedTests.length === 0) {
      const where = failureLine(suite.name, [suite.message ?? ''], undefined);
      out.push({ key: `${where} — (suite failed outside a test)`, message: firstLine(suite.message) });
    }
  }
  return out;
}

function firstLine(message) {
  const lines = String(message ?? '')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // Skip jest's "● title" header; keep the first meaningful line and the expected/received lines.
  const body = lines.filter((l) => !l.startsWith('●'));
  const interesting = body.filter((l) => /^(Expected|Received|thrown|Error|expect\(|Timeout|Exceeded)/i.test(l));
  return [body[0], ...interesting.slice(0, 3)].filter(Boolean).filter((l, i, a) => a.indexOf(l) === i).join(' | ').slice(0, 300);
}

function loadDuring(loadFile, start, end) {
  let samples = [];
  try {
    samples = fs
      .readFileSync(loadFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number))
      .filter(([t]) => t >= start && t <= end)
      .map(([, v]) => v);
  } catch {
    /* no samples yet */
  }
  if (samples.length === 0) return 'n/a';
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return `mean ${mean.toFixed(2)} max ${Math.max(...samples).toFixed(2)}`;
}

function line([file, run, rc, start, end, loadFile]) {
  const report = readReport(file);
  const seconds = Number(end) - Number(start);
  const load = loadDuring(loadFile, Number(start), Number(end));
  if (!report) {
    console.log(`run ${run}: NO REPORT (jest exited ${rc}) ${seconds} s, load ${load}`);
    return;
  }
  const failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  const verdict = Number(rc) === 0 && failed === 0 ? 'green' : 'RED';
  console.log(
    `run ${run}: ${verdict} ${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests} skipped, ${seconds} s, load (1-min avg) ${load}`,
  );
  for (const f of failuresOf(report)) console.log(`  FAILED ${f.key}\n         ${f.message}`);
}

function summary([dir, runs]) {
  const byTest = new Map();
  let missing = 0;
  const files = new Map();
  for (let i = 1; i <= Number(runs); i++) {
    const report = readReport(path.join(dir, `run-${i}.json`));
    if (!report) {
      missing++;
      continue;
    }
    for (const suite of report.testResults ?? []) {
      const rel = path.relative(ROOT, suite.name);
      const t = (suite.endTime ?? 0) - (suite.startTime ?? 0);
      files.set(rel, [...(files.get(rel) ?? []), t / 1000]);
    }
    for (const f of failuresOf(report)) {
      const entry = byTest.get(f.key) ?? { runs: new Set(), message: f.message };
      entry.runs.add(i);
      byTest.set(f.key, entry);
    }
  }
  console.log(`== soak summary: ${runs} run(s)`);
  if (missing) console.log(`${missing} run(s) left no jest report (see run-N.log)`);
  if (byTest.size === 0 && !missing) console.log('no test failed in any run');
  for (const [key, { runs: r, message }] of [...byTest].sort((a, b) => b[1].runs.size - a[1].runs.size)) {
    console.log(`failed in ${r.size} of ${runs} run(s) [${[...r].join(',')}]: ${key}\n    ${message}`);
  }
  const slowest = [...files]
    .map(([f, ts]) => [f, ts.reduce((a, b) => a + b, 0) / ts.length])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  if (slowest.length) {
    console.log('slowest test files (mean seconds per run; jest runs files in parallel only with more than 2 cores):');
    for (const [f, t] of slowest) console.log(`  ${t.toFixed(1).padStart(6)}  ${f}`);
  }
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'line') line(args);
else if (cmd === 'summary') summary(args);
else {
  console.error('usage: soak-report.js line|summary …');
  process.exit(2);
}
