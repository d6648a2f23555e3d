// Small figures shared by the bench sections.

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Floating-point operations in the GEMMs of one epoch of a dense network: per example, 2·C·OC for each
 *  layer's forward product and again for its weight gradient, plus 2·C·OC for every input gradient but the
 *  first layer's (nobody needs ∂loss/∂pixels). Element-wise work (activations, softmax, the optimizer) is
 *  not counted, so GFLOP/s = this / seconds is a lower bound on the GEMMs' own speed. */
export function epochGemmFlops(layerSizes: readonly number[], examples: number): number {
  let perExample = 0;
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    const products = l === 0 ? 2 : 3;
    perExample += products * 2 * layerSizes[l] * layerSizes[l + 1];
  }
  return perExample * examples;
}
