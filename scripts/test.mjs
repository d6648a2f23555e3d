// `npm test`: generate (sample data, wasm), typecheck, lint, unit, build, e2e — in that order, stopping at the first failure — then one
// closing line `N passed, N failed, N skipped` counting unit and e2e tests together.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const steps = [
  ['generate', 'npm', ['run', '--silent', 'generate']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'unit.json')}`]],
  ['build', 'npm', ['run', '--silent', 'build']],
  ['e2e', 'npx', ['playwright', 'test']],
];

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** Counts from vitest's JSON report. */
function unitCounts() {
  const report = readJson(join(reports, 'unit.json'));
  if (!report) return { passed: 0, failed: 0, skipped: 0 };
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

/** Counts from Playwright's JSON report, and the reasons tests were skipped. */
function e2eCounts() {
  const report = readJson(join(reports, 'e2e.json'));
  const counts = { passed: 0, failed: 0, skipped: 0, reasons: new Set() };
  if (!report) return counts;
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'skipped') {
          counts.skipped++;
          for (const a of t.annotations ?? []) if (a.type === 'skip' && a.description) counts.reasons.add(a.description);
        } else if (t.status === 'expected' || t.status === 'flaky') counts.passed++;
        else counts.failed++;
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
  return counts;
}

function summary(failedStep) {
  const u = unitCounts();
  const e = e2eCounts();
  for (const reason of e.reasons) console.log(`note: ${reason}`);
  console.log(`unit: ${u.passed} passed, ${u.failed} failed, ${u.skipped} skipped; e2e: ${e.passed} passed, ${e.failed} failed, ${e.skipped} skipped`);
  const failed = u.failed + e.failed + (failedStep && u.failed + e.failed === 0 ? 1 : 0);
  if (failedStep) console.log(`npm test stopped: the ${failedStep} step failed.`);
  console.log(`${u.passed + e.passed} passed, ${failed} failed, ${u.skipped + e.skipped} skipped`);
}

for (const [name, command, args] of steps) {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  console.log(`━━ ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (result.status !== 0) {
    summary(name);
    process.exit(result.status ?? 1);
  }
}
summary(undefined);
