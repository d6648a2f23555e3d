// The layers other than dense (dense is a GEMM, see kernels.ts): activations, and softmax with its two
// losses. llm.c style: free functions over flat Float32Array views, outputs first, sizes last.
// Activations work in place (out may be inp); their backward needs only the activation's output.
// Losses return the SUM over the rows given; callers divide by the batch size.
import type { Activation, LossName } from '../../shared/training';

/** out[N] = f(inp[N]) for f = relu | sigmoid | tanh; out may alias inp. */
export function activationForward(act: Activation, out: Float32Array, inp: Float32Array, N: number): void {
  if (act === 'relu') {
    for (let i = 0; i < N; i++) {
      const x = inp[i];
      out[i] = x > 0 ? x : 0;
    }
  } else if (act === 'sigmoid') {
    for (let i = 0; i < N; i++) out[i] = 1 / (1 + Math.exp(-inp[i]));
  } else {
    for (let i = 0; i < N; i++) out[i] = Math.tanh(inp[i]);
  }
}

/**
 * dinp[N] = dout[N] · f′, with f′ written in terms of the forward output out[N]:
 * relu′ = [out > 0], sigmoid′ = out·(1 − out), tanh′ = 1 − out². dinp may alias dout.
 */
export function activationBackward(act: Activation, dinp: Float32Array, dout: Float32Array, out: Float32Array, N: number): void {
  if (act === 'relu') {
    for (let i = 0; i < N; i++) dinp[i] = out[i] > 0 ? dout[i] : 0;
  } else if (act === 'sigmoid') {
    for (let i = 0; i < N; i++) {
      const a = out[i];
      dinp[i] = dout[i] * a * (1 - a);
    }
  } else {
    for (let i = 0; i < N; i++) {
      const a = out[i];
      dinp[i] = dout[i] * (1 - a * a);
    }
  }
}

/**
 * probs[B,K] = softmax(logits[B,K]) per row, exp(z − max z) for stability.
 * Returns Σ_b −log probs[b, labels[b]] computed from the logits (log-sum-exp, never log 0);
 * pass labels = null to skip the loss (returns 0).
 */
export function softmaxForward(probs: Float32Array, logits: Float32Array, labels: Uint8Array | null, B: number, K: number): number {
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const row = b * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (logits[row + k] > max) max = logits[row + k];
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(logits[row + k] - max);
      probs[row + k] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) probs[row + k] *= inv;
    if (labels) loss += Math.log(sum) - (logits[row + labels[b]] - max);
  }
  return loss;
}

/** Σ_b Σ_k (probs[b,k] − onehot(labels[b])_k)²  — the squared-error loss of rows 0…B−1. */
export function squaredErrorLoss(probs: Float32Array, labels: Uint8Array, B: number, K: number): number {
  let loss = 0;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      const d = probs[b * K + k] - (k === labels[b] ? 1 : 0);
      loss += d * d;
    }
  }
  return loss;
}

/** The loss of rows 0…B−1 (sum), after softmaxForward wrote probs; `ceSum` is what softmaxForward returned. */
export function lossSum(loss: LossName, ceSum: number, probs: Float32Array, labels: Uint8Array, B: number, K: number): number {
  return loss === 'cross-entropy' ? ceSum : squaredErrorLoss(probs, labels, B, K);
}

/**
 * Fused softmax + cross-entropy backward: dlogits[B,K] = scale · (probs − onehot(labels)).
 * scale = 1 / (examples in the whole batch), so the gradient is of the batch-mean loss.
 */
export function crossEntropyBackward(dlogits: Float32Array, probs: Float32Array, labels: Uint8Array, B: number, K: number, scale: number): void {
  for (let b = 0; b < B; b++) {
    const row = b * K;
    for (let k = 0; k < K; k++) dlogits[row + k] = scale * (probs[row + k] - (k === labels[b] ? 1 : 0));
  }
}

/**
 * Squared error through the softmax: with L = Σ_k (p_k − y_k)², dL/dp_k = 2(p_k − y_k), and the softmax
 * Jacobian gives dlogits_j = p_j · (dp_j − Σ_k p_k·dp_k); times scale (1 / batch examples).
 */
export function squaredErrorBackward(dlogits: Float32Array, probs: Float32Array, labels: Uint8Array, B: number, K: number, scale: number): void {
  for (let b = 0; b < B; b++) {
    const row = b * K;
    let dot = 0;
    for (let k = 0; k < K; k++) {
      const p = probs[row + k];
      dot += p * 2 * (p - (k === labels[b] ? 1 : 0));
    }
    for (let k = 0; k < K; k++) {
      const p = probs[row + k];
      dlogits[row + k] = scale * p * (2 * (p - (k === labels[b] ? 1 : 0)) - dot);
    }
  }
}
