// app.*: facts about the running app.
import * as v from 'valibot';
import { method, returns } from './contract';

export interface AppInfo {
  name: string;
  version: string;
  /** 'electron' | 'browser' (the WebSocket bridge of `npm run web`). */
  transport: 'electron' | 'browser';
  /** Logical CPU cores the training pool may use. */
  cores: number;
  /** Where runs, checkpoints and settings are kept. */
  dataDir: string;
  platform: string;
  /** Whether WebAssembly SIMD kernels are available to the training core. */
  wasmSimd: boolean;
  /** Whether they run the relaxed-SIMD build, with fused multiply-add (faster GEMMs). */
  wasmFma: boolean;
}

export const appMethods = {
  info: method(v.tuple([]), returns<AppInfo>()),
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AppEvents {}
