// The part of the WebAssembly JS API that our pure (no DOM, no node types) and node code uses.
// TypeScript ships these only in lib.dom / lib.webworker, which those runtimes must not include.
declare namespace WebAssembly {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type ExportedFunction = (...args: any[]) => any;
  type ImportValue = ExportedFunction | Global | Memory | Table | number;
  type Imports = Record<string, Record<string, ImportValue>>;
  type Exports = Record<string, ExportedFunction | Global | Memory | Table>;
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    /** A SharedArrayBuffer when the memory is shared (the same object on every access until it grows). */
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }
  class Global {
    constructor(descriptor: { value: string; mutable?: boolean }, v?: number);
    value: number;
  }
  class Table {
    readonly length: number;
  }
  class Module {
    constructor(bytes: BufferSource);
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }
  type BufferSource = ArrayBufferView | ArrayBuffer;
  function validate(bytes: BufferSource): boolean;
  function compile(bytes: BufferSource): Promise<Module>;
  function instantiate(bytes: BufferSource, imports?: Imports): Promise<{ module: Module; instance: Instance }>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
