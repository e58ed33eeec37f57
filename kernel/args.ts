/** Command-line parsing shared by the `optilab` subcommands. */

/** A bad command line: the message says what was expected. */
export class UsageError extends Error {}

/** Minimal option parsing: flags, `--name value` / `--name=value`, repeated `-p`, positionals. */
export function parseArgs(argv: string[], spec: { flags?: string[]; values?: string[]; repeat?: string[] }) {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const inline = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    if (spec.flags?.includes(name)) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      flags.add(name);
    } else if (spec.values?.includes(name) || spec.repeat?.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      if (spec.repeat?.includes(name)) repeated.set(name, [...(repeated.get(name) ?? []), value]);
      else values.set(name, value);
    } else {
      const known = [...(spec.flags ?? []), ...(spec.values ?? []), ...(spec.repeat ?? [])];
      throw new UsageError(`unknown option ${name}${known.length ? `; expected one of ${known.join(', ')}` : ''}`);
    }
  }
  return { flags, values, repeated, positionals };
}
