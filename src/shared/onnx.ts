// A trained network as an ONNX model (DESIGN §6): the protobuf ModelProto written by hand (the few messages and
// fields needed, numbered as in onnx/onnx.proto), opset 13. The graph reads grey levels 0–255, as the app's images
// are: pixels [N, inputs] → Mul by 1/255 → Gemm (W [inputs, outputs], b) → Relu / Sigmoid / Tanh → … → Gemm →
// Softmax → probabilities [N, classes]. Pure: no Node, no DOM.
import { asciiBytes, float32LittleEndian } from './bytes';
import { layerViews, type ModelSource } from './model-file';

/** Protobuf's wire format, just enough of it: varints, length-delimited fields, fixed 32-bit floats. */
class ProtoWriter {
  private readonly bytes: number[] = [];
  private chunks: Uint8Array[] = [];

  private flush(): void {
    if (this.bytes.length) this.chunks.push(Uint8Array.from(this.bytes.splice(0)));
  }
  private varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf: ${value} is not a varint this writer takes`);
    while (value >= 0x80) {
      this.bytes.push((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.bytes.push(value);
  }
  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }
  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }
  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.bytes.push(...b);
    return this;
  }
  bytesField(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    this.flush();
    this.chunks.push(data);
    return this;
  }
  string(field: number, text: string): this {
    return this.bytesField(field, asciiBytes(text, 'protobuf'));
  }
  /** A nested message: its chunks are taken as they are, so the weights are copied once, by the outermost
   *  finish() (flattened at each of the three levels, a 147 MB model's took 1.5 s here instead of 0.5). */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    inner.flush();
    this.tag(field, 2);
    this.varint(inner.byteLength());
    this.flush();
    for (const chunk of inner.chunks) this.chunks.push(chunk);
    return this;
  }
  private byteLength(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0) + this.bytes.length;
  }
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.byteLength());
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTRIBUTE_FLOAT = 1, ATTRIBUTE_INT = 2; // AttributeProto.AttributeType
const OPSET = 13;
const IR_VERSION = 7; // what opset 13 came with (ONNX 1.8)

/** A float32 TensorProto named `name`, dims, little-endian raw data. */
function tensor(w: ProtoWriter, name: string, dims: readonly number[], values: Float32Array): void {
  for (const d of dims) w.int(1, d); // dims (unpacked repeated int64: every parser accepts it)
  w.int(2, FLOAT);
  w.string(8, name);
  w.bytesField(9, float32LittleEndian(values));
}

/** A ValueInfoProto: a float tensor [N, size], N a named (any) batch dimension. */
function valueInfo(w: ProtoWriter, name: string, size: number): void {
  w.string(1, name);
  w.message(2, (type) =>
    type.message(1, (t) => {
      t.int(1, FLOAT);
      t.message(2, (shape) => {
        shape.message(1, (d) => d.string(2, 'N'));
        shape.message(1, (d) => d.int(1, size));
      });
    }),
  );
}

type Attribute = { name: string; int: number } | { name: string; float: number };

/** A NodeProto in the graph (its field 1), named after the tensor it makes. */
function node(graph: ProtoWriter, op: string, inputs: string[], output: string, attributes: Attribute[] = []): void {
  graph.message(1, (w) => {
    for (const input of inputs) w.string(1, input);
    w.string(2, output);
    w.string(3, output);
    w.string(4, op);
    for (const a of attributes) {
      w.message(5, (attr) => {
        attr.string(1, a.name);
        if ('int' in a) attr.int(20, ATTRIBUTE_INT).int(3, a.int);
        else attr.float(2, a.float).int(20, ATTRIBUTE_FLOAT);
      });
    }
  });
}

const OPS: Record<string, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

/** The .onnx file of a model: input "pixels" [N, inputs] (grey levels 0–255), output "probabilities" [N, classes]. */
export function modelOnnx(m: ModelSource): Uint8Array {
  const layers = layerViews(m.layerSizes, m.params);
  const model = new ProtoWriter();
  model.int(1, IR_VERSION);
  model.string(2, 'MLP Studio');
  model.message(7, (graph) => {
    let x = 'scaled';
    node(graph, 'Mul', ['pixels', 'scale'], x);
    layers.forEach((_, l) => {
      const z = l === layers.length - 1 ? 'logits' : `z${l + 1}`;
      node(graph, 'Gemm', [x, `W${l + 1}`, `b${l + 1}`], z);
      x = l === layers.length - 1 ? z : `a${l + 1}`;
      if (l < layers.length - 1) node(graph, OPS[m.config.hidden[l].activation], [z], x);
    });
    node(graph, 'Softmax', ['logits'], 'probabilities', [{ name: 'axis', int: 1 }]);
    graph.string(2, 'mlp');
    graph.message(5, (t) => tensor(t, 'scale', [], Float32Array.of(1 / 255)));
    layers.forEach(({ weight, bias, inputs, outputs }, l) => {
      graph.message(5, (t) => tensor(t, `W${l + 1}`, [inputs, outputs], weight));
      graph.message(5, (t) => tensor(t, `b${l + 1}`, [outputs], bias));
    });
    graph.message(11, (v) => valueInfo(v, 'pixels', m.layerSizes[0]));
    graph.message(12, (v) => valueInfo(v, 'probabilities', m.layerSizes[m.layerSizes.length - 1]));
  });
  model.message(8, (opset) => opset.string(1, '').int(2, OPSET));
  return model.finish();
}
