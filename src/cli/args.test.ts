import { describe, expect, it } from 'vitest';
import { numberOption, parseArgs, UsageError } from './args';

const specs = {
  lr: { kind: 'string', help: 'learning rate', value: 'X' },
  json: { kind: 'boolean', help: 'json' },
} as const;

describe('parseArgs', () => {
  it('reads options in both forms and positionals', () => {
    const args = parseArgs(['file.csv', '--lr', '0.1', '--json', '--', '--not-an-option'], specs);
    expect(args.positionals).toEqual(['file.csv', '--not-an-option']);
    expect(args.options.get('lr')).toBe('0.1');
    expect(args.options.get('json')).toBe('true');
    expect(parseArgs(['--lr=0.5'], specs).options.get('lr')).toBe('0.5');
  });

  it('names what is wrong', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(new UsageError("unknown option '--nope'"));
    expect(() => parseArgs(['-x'], specs)).toThrow("unknown option '-x' (options start with --)");
    expect(() => parseArgs(['--lr'], specs)).toThrow("option '--lr' needs a value (X)");
    expect(() => parseArgs(['--lr', '--json'], specs)).toThrow("option '--lr' needs a value");
    expect(() => parseArgs(['--json=1'], specs)).toThrow("option '--json' takes no value");
    expect(() => parseArgs(['--lr', '1', '--lr', '2'], specs)).toThrow("option '--lr' given twice");
  });

  it('refuses arguments beyond the positionals a command takes', () => {
    expect(() => parseArgs(['extra', '--json'], specs, { maxPositionals: 0 })).toThrow("unexpected argument 'extra' (this command takes only options)");
    expect(() => parseArgs(['a', 'b'], specs, { maxPositionals: 1 })).toThrow("unexpected argument 'b'");
    expect(parseArgs(['a'], specs, { maxPositionals: 1 }).positionals).toEqual(['a']);
  });

  it('an empty value is a missing one', () => {
    expect(() => parseArgs(['--lr', ''], specs)).toThrow("option '--lr' needs a value (X)");
    expect(() => parseArgs(['--lr='], specs)).toThrow("option '--lr' needs a value (X)");
  });

  it('checks numbers and their range', () => {
    const args = (v: string) => parseArgs(['--lr', v], specs);
    expect(numberOption(args('0.25'), 'lr', { min: 0 })).toBe(0.25);
    expect(numberOption(parseArgs([], specs), 'lr')).toBeUndefined();
    expect(() => numberOption(args('abc'), 'lr')).toThrow("--lr expects a number, got 'abc'");
    expect(() => numberOption(args(' '), 'lr')).toThrow('expects a number');
    expect(() => numberOption(args('1.5'), 'lr', { integer: true })).toThrow('whole number');
    expect(() => numberOption(args('-1'), 'lr', { min: 0, max: 10 })).toThrow('between 0 and 10, got -1');
    // an open range names its one bound ('--epochs must be between 1 and Infinity' read oddly)
    expect(() => numberOption(args('0'), 'lr', { min: 1 })).toThrow(/^--lr must be at least 1, got 0$/);
    expect(() => numberOption(args('11'), 'lr', { max: 10 })).toThrow(/^--lr must be at most 10, got 11$/);
    // an exclusive bound: 0 is not a learning rate, the smallest positive number is
    expect(() => numberOption(args('0'), 'lr', { above: 0 })).toThrow(/^--lr must be above 0, got 0$/);
    expect(numberOption(args('1e-30'), 'lr', { above: 0 })).toBe(1e-30);
    // decimal notation only: Number() read '0x10' as 16
    for (const text of ['0x10', '0b11', '0o7', ' 7', '1_000', 'Infinity', '1e', '.']) expect(() => numberOption(args(text), 'lr'), text).toThrow(`--lr expects a number, got '${text}'`);
    for (const [text, value] of [['.5', 0.5], ['-2', -2], ['+3', 3], ['1E3', 1000], ['7.', 7]] as const) expect(numberOption(args(text), 'lr'), text).toBe(value);
  });
});
