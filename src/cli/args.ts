// A small, strict argument parser for the CLI: every option is declared, anything else is an error
// that names the offending argument (exit code 2 in the caller).

export class UsageError extends Error {
  override name = 'UsageError';
}

export type OptionKind = 'string' | 'boolean';

export interface OptionSpec {
  kind: OptionKind;
  /** One line for --help. */
  help: string;
  /** Placeholder shown in --help, e.g. FILE or N. */
  value?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  positionals: string[];
  /** Option name (without --) → value; booleans are 'true'. Only options that were given appear. */
  options: Map<string, string>;
}

/** Parses `--name value`, `--name=value` and `--flag`; `--` ends options. `maxPositionals`: more arguments that are not
 *  options are a UsageError naming the first extra one (a command that takes none ignored `bench extra` and ran). */
export function parseArgs(argv: readonly string[], specs: OptionSpecs, { maxPositionals = Infinity }: { maxPositionals?: number } = {}): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}' (options start with --)`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option '--${name}'`);
    if (options.has(name)) throw new UsageError(`option '--${name}' given twice`);
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      options.set(name, 'true');
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    // An empty value is no value: `--resume ''` started a new run, `--data-dir ''` kept runs in the current folder.
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      throw new UsageError(`option '--${name}' needs a value${spec.value ? ` (${spec.value})` : ''}`);
    }
    options.set(name, value);
  }
  if (positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument '${positionals[maxPositionals]}'${maxPositionals === 0 ? ' (this command takes only options)' : ''}`);
  }
  return { positionals, options };
}

/** A number as people write one — 12, -0.5, .5, 1e-3 — or NaN. Number() alone also took '0x10' (16), '0b11' and '0o7',
 *  and ' 7 ', so `--hidden 0x10` trained 16 units without a word. */
export function decimal(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
}

/** Reads an option as a number within [min, max] and above `above` (exclusive); `integer` rejects fractions. */
export function numberOption(
  args: ParsedArgs,
  name: string,
  { min = -Infinity, max = Infinity, above = -Infinity, integer = false }: { min?: number; max?: number; above?: number; integer?: boolean } = {},
): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const value = decimal(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} expects a number, got '${raw}'`);
  if (integer && !Number.isInteger(value)) throw new UsageError(`--${name} expects a whole number, got '${raw}'`);
  if (value <= above) throw new UsageError(`--${name} must be above ${above}, got ${raw}`);
  if (value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : min === -Infinity ? `at most ${max}` : `between ${min} and ${max}`;
    throw new UsageError(`--${name} must be ${range}, got ${raw}`);
  }
  return value;
}

/** Formats the option table for --help. */
export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.help]);
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
}
