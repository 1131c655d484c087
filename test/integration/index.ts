// Entry point of the integration suite inside the extension host: VS Code (test-electron or
// code-server) loads this module from `extensionTestsPath` and awaits `run()`; a rejection makes
// the run fail. Runs every compiled `*.test.js` next to this file with mocha.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false });
  // CONVLENS_TEST_GREP reaches the host through the server's (or Electron's) environment.
  const grep = process.env['CONVLENS_TEST_GREP'];
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  console.log(`[suite] ${files.length} test files: ${files.join(', ')}`);
  const started = Date.now();
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (error) {
      reject(error);
    }
  });
  console.log(`[suite] finished in ${Date.now() - started} ms with ${failures} failure(s)`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
