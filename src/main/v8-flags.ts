// V8's optimizing compiler, tuned for a process that trains (app, browser mode, CLI, bench: each creates its
// training pool through src/main/runs/pool.ts, which calls this before any training thread starts).
//
// Why: a training thread's hot loops are WebAssembly; its JavaScript only calls them, so inlining deep
// into that JavaScript buys nothing. But every new thread's JavaScript is optimized again, and V8 does
// that on its helper threads, beside the run's own threads: on a 2-vCPU machine those compiles take a
// core from a run on both cores in its first seconds. With TurboFan's cumulative inlining budget cut from
// V8's 920 bytes of bytecode to 200, measured 2026-11-30 (AMD EPYC Zen 5, 2 vCPUs, Node 20.20; 5-epoch CLI
// runs on fashion_train.csv, 2 threads, alternated with the default): optimizing compiles in a run 375 ms
// against 607 (--trace-opt's times); the run 3–6% faster in 8 of 8 pairs (1.87–2.34 s against 1.94–2.46 s
// for the 5 epochs), and in 5 of 6 in an earlier set; one thread and the CSV parser within the machine's drift.
import { setFlagsFromString } from 'node:v8';

/** TurboFan's budget of bytecode (bytes) inlined into one optimized function; V8's default is 920. */
export const INLINING_BUDGET = 200;

let applied = false;

/** Sets the inlining budget for this process (once; V8 flags are per process and apply to code compiled
 *  afterwards, every worker thread's included). A runtime without the flag says so on stderr and goes on. */
export function limitInlining(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`);
}
