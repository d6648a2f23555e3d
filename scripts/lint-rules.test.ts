// Proves the import-graph rules of eslint.config.js bite (DESIGN §1): each forbidden import is rejected in
// the folder where it is forbidden, and the same import is accepted where it belongs.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('import graph lint rules', () => {
  it("rejects import 'electron' in src/renderer", async () => {
    const errors = await importErrors('src/renderer/lib/bad.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n");
    expect(errors).toEqual([expect.stringContaining('Only src/main/index.ts')]);
  });

  it("rejects import 'node:fs' in src/worker", async () => {
    const errors = await importErrors('src/worker/core/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(errors).toEqual([expect.stringContaining('no node built-ins here')]);
  });

  it("rejects bare 'fs' and node built-ins in src/shared and src/renderer", async () => {
    expect(await importErrors('src/shared/bad.ts', "import { join } from 'path';\nexport const x = join;\n")).toHaveLength(1);
    expect(await importErrors('src/renderer/bad.ts', "import os from 'node:os';\nexport const x = os;\n")).toHaveLength(1);
  });

  it('rejects DOM globals in src/shared and src/worker', async () => {
    expect(await importErrors('src/worker/core/bad.ts', 'export const x = document.title;\n')).toEqual([expect.stringContaining('without a DOM')]);
  });

  it("rejects import 'electron' in main services, accepts it in the Electron adapter", async () => {
    const code = "import { app } from 'electron';\nexport const x = app;\n";
    expect(await importErrors('src/main/services/bad.ts', code)).toHaveLength(1);
    expect(await importErrors('src/cli/bad.ts', code)).toHaveLength(1);
    expect(await importErrors('src/main/index.ts', code)).toHaveLength(0);
    expect(await importErrors('src/main/electron/window.ts', code)).toHaveLength(0);
  });

  it('accepts node built-ins in the worker task entry and in main', async () => {
    const code = "import { parentPort } from 'node:worker_threads';\nexport const x = parentPort;\n";
    expect(await importErrors('src/worker/task.ts', code)).toHaveLength(0);
    expect(await importErrors('src/main/services/ok.ts', code)).toHaveLength(0);
  });
});
