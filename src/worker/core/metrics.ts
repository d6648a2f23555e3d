// The core's metric helpers, which live in src/shared/metrics.ts (the renderer and the services use them too):
// the confusion-matrix metrics, and argmax, which picks a row's predicted class.
export { argmax, emptyConfusion, perClassMetrics } from '../../shared/metrics';
