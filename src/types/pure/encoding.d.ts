// The part of the Encoding API (TextEncoder, TextDecoder) that pure code uses (src/shared: model files, the wire
// encoding). Node and every browser have it; TypeScript declares it only in lib.dom and @types/node, which pure
// code must not include — so this file is in tsconfig.pure.json alone (the other configs get it from those).
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
