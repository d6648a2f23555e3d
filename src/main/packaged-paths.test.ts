// Worker files in a packaged app: the path inside app.asar.unpacked, on every OS, and nothing else touched.
import { describe, expect, it } from 'vitest';
import { unpackedPath } from './packaged-paths';

describe('unpackedPath', () => {
  it('points into app.asar.unpacked for a path inside app.asar, on every OS', () => {
    expect(unpackedPath('/opt/MLP Studio/resources/app.asar/out/main/worker.js')).toBe('/opt/MLP Studio/resources/app.asar.unpacked/out/main/worker.js');
    expect(unpackedPath('C:\\Program Files\\MLP Studio\\resources\\app.asar\\out\\main\\worker.js')).toBe(
      'C:\\Program Files\\MLP Studio\\resources\\app.asar.unpacked\\out\\main\\worker.js',
    );
  });

  it('leaves other paths alone (development, an unpacked build, a folder merely named like it)', () => {
    for (const path of ['/repo/out/main/worker.js', '/x/resources/app/out/main/worker.js', '/x/app.asar.unpacked/out/main/worker.js', '/x/my-app.asar/worker.js']) {
      expect(unpackedPath(path)).toBe(path);
    }
  });
});
