// Finite-difference gradient checks.
// 1. Per layer: each activation, softmax + cross-entropy, softmax + squared error, on float32 inputs.
// 2. Whole network, every activation × loss, 0–2 hidden layers: our float32 backward pass against central
//    differences of an independent float64 forward written here (so the differences themselves carry
//    ~1e-10 error); the float64 loss is also checked against our forward loss.
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES, type Activation, type LossName } from '../../shared/training';
import { defaultAllocator } from './buffers';
import { naiveKernels } from './kernels';
import { plainKernels } from './kernels-plain';
import { activationBackward, activationForward, crossEntropyBackward, softmaxForward, squaredErrorBackward, squaredErrorLoss } from './layers';
import { createNetwork, initParams, networkBackward, networkForward, paramLayout } from './network';
import { Rng } from './rng';

const rng = new Rng(7);
const randomArray = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

describe('layer gradients by finite differences', () => {
  // Inputs are float32; the objectives below are computed in double from them. With step h = 1e-2 the
  // truncation error of a central difference is ~h²·|f‴|/6 ≈ 1e-5, and the float32 rounding of stored
  // outputs (≤ 6e-8 relative) adds ≤ 6e-8/h ≈ 1e-5: tolerance 1e-4.
  const h = 1e-2;
  const tol = 1e-4;

  for (const act of ACTIVATIONS) {
    it(`${act}: backward = d/dx Σ r·f(x)`, () => {
      const N = 40;
      // keep ReLU inputs away from its kink at 0 by more than h
      const x = Float32Array.from(randomArray(N), (v) => (act === 'relu' && Math.abs(v) < 0.05 ? v + Math.sign(v || 1) * 0.1 : v) * 3);
      const r = randomArray(N);
      const out = new Float32Array(N);
      activationForward(act, out, x, N);
      const grad = new Float32Array(N);
      activationBackward(act, grad, r, out, N);
      const objective = (xs: Float32Array) => {
        const o = new Float32Array(N);
        activationForward(act, o, xs, N);
        return o.reduce((s, v, i) => s + v * r[i], 0);
      };
      for (let i = 0; i < N; i++) {
        const plus = Float32Array.from(x);
        const minus = Float32Array.from(x);
        plus[i] += h;
        minus[i] -= h;
        const fd = (objective(plus) - objective(minus)) / (plus[i] - minus[i]);
        expect(Math.abs(grad[i] - fd)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(fd)));
      }
    });
  }

  for (const loss of LOSSES) {
    it(`softmax + ${loss}: backward = d/dlogits of the summed loss`, () => {
      const B = 3;
      const K = 5;
      const logits = randomArray(B * K, -3, 3);
      const labels = Uint8Array.of(0, 4, 2);
      const probs = new Float32Array(B * K);
      softmaxForward(probs, logits, labels, B, K);
      const grad = new Float32Array(B * K);
      if (loss === 'cross-entropy') crossEntropyBackward(grad, probs, labels, B, K, 1);
      else squaredErrorBackward(grad, probs, labels, B, K, 1);
      const objective = (z: Float32Array) => {
        const p = new Float32Array(B * K);
        const ce = softmaxForward(p, z, labels, B, K);
        return loss === 'cross-entropy' ? ce : squaredErrorLoss(p, labels, B, K);
      };
      for (let i = 0; i < B * K; i++) {
        const plus = Float32Array.from(logits);
        const minus = Float32Array.from(logits);
        plus[i] += h;
        minus[i] -= h;
        const fd = (objective(plus) - objective(minus)) / (plus[i] - minus[i]);
        expect(Math.abs(grad[i] - fd)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(fd)));
      }
    });
  }
});

/** An independent float64 MLP: the mean loss over B rows, W as [C, OC], for finite differences. */
function referenceLoss(params: Float64Array, sizes: number[], acts: Activation[], loss: LossName, x: Float64Array, labels: Uint8Array, B: number): number {
  const { slots } = paramLayout(sizes);
  let a = x;
  const L = sizes.length - 1;
  for (let l = 0; l < L; l++) {
    const C = sizes[l];
    const OC = sizes[l + 1];
    const W = slots[2 * l].offset;
    const bias = slots[2 * l + 1].offset;
    const z = new Float64Array(B * OC);
    for (let b = 0; b < B; b++) {
      for (let o = 0; o < OC; o++) {
        let s = params[bias + o];
        for (let c = 0; c < C; c++) s += a[b * C + c] * params[W + c * OC + o];
        if (l < L - 1) s = acts[l] === 'relu' ? Math.max(0, s) : acts[l] === 'sigmoid' ? 1 / (1 + Math.exp(-s)) : Math.tanh(s);
        z[b * OC + o] = s;
      }
    }
    a = z;
  }
  const K = sizes[L];
  let total = 0;
  for (let b = 0; b < B; b++) {
    const row = a.subarray(b * K, b * K + K);
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    if (loss === 'cross-entropy') total += -Math.log(e[labels[b]] / sum);
    else e.forEach((v, k) => (total += (v / sum - (k === labels[b] ? 1 : 0)) ** 2));
  }
  return total / B;
}

describe('network gradients against float64 finite differences', () => {
  const architectures: Activation[][] = [[], ['relu'], ['sigmoid'], ['tanh'], ['tanh', 'relu'], ['relu', 'sigmoid']];
  const D = 6;
  const K = 4;
  const B = 5;
  for (const kernels of [naiveKernels, plainKernels]) {
    for (const hidden of architectures) {
      for (const loss of LOSSES) {
        it(`${kernels.name}: ${hidden.join('-') || 'no hidden layer'} + ${loss}`, () => {
          const sizes = [D, ...hidden.map((_, i) => 5 + i), K];
          const net = createNetwork({ layerSizes: sizes, activations: hidden, loss }, B, kernels, defaultAllocator);
          initParams(net, new Rng(3));
          for (const b of net.p.b) b.set(randomArray(b.length, -0.5, 0.5)); // non-zero biases, so they are tested too
          net.input.set(randomArray(B * D, 0, 1));
          net.labels.set([0, 3, 1, 2, 3]);
          net.grads.fill(0);
          const ours = networkForward(net, B, true) / B;
          networkBackward(net, B, 1 / B);

          const p64 = Float64Array.from(net.params);
          const x64 = Float64Array.from(net.input.subarray(0, B * D));
          const f = () => referenceLoss(p64, sizes, hidden, loss, x64, net.labels, B);
          // our forward uses float32 activations: agreement to ~1e-6 relative
          expect(Math.abs(ours - f())).toBeLessThanOrEqual(1e-5 * Math.max(1, f()));
          // Central differences in float64 with h = 1e-6: error ~1e-10 (a ReLU kink within h of a
          // pre-activation is astronomically unlikely with these random values). Our gradient is float32
          // through 1–3 layers: tolerance 1e-4 relative to max(1e-2, |g|), i.e. 1e-6 absolute for small ones.
          const h = 1e-6;
          for (let i = 0; i < p64.length; i++) {
            const keep = p64[i];
            p64[i] = keep + h;
            const plus = f();
            p64[i] = keep - h;
            const minus = f();
            p64[i] = keep;
            const fd = (plus - minus) / (2 * h);
            expect(Math.abs(net.grads[i] - fd), `parameter ${i}`).toBeLessThanOrEqual(1e-4 * Math.max(1e-2, Math.abs(fd)));
          }
        });
      }
    }
  }
});
